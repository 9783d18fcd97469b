/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, `YYYY-MM-DD`. */
  Date: { input: string; output: string; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** A field whose value conforms to the standard internet email address format as specified in HTML Spec: https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address. */
  EmailAddress: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** Conditions on a checkbox. */
export type BooleanFilter = {
  /** Equals. */
  is?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Conditions on a multi-value field: `contains` matches when one item matches. */
export type CollectionFilter = {
  /** Contains, ignoring case. */
  contains?: InputMaybe<Scalars['String']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not contain, ignoring case. */
  notContains?: InputMaybe<Scalars['String']['input']>;
};

/** A Clarify Company record (`company`). */
export type Company = Record & {
  __typename?: 'Company';
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Deals */
  deals: DealConnection;
  /** Description */
  description?: Maybe<Scalars['String']['output']>;
  /** Domains */
  domains: Array<Scalars['String']['output']>;
  /** Employee count */
  employeeCount?: Maybe<Scalars['Float']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Industry */
  industry?: Maybe<CompanyIndustry>;
  /** Name */
  name?: Maybe<Scalars['String']['output']>;
  /** People */
  people: PersonConnection;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};


/** A Clarify Company record (`company`). */
export type CompanyDealsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DealFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DealOrderBy>;
};


/** A Clarify Company record (`company`). */
export type CompanyPeopleArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PersonFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PersonOrderBy>;
};

/** A page of Companies. */
export type CompanyConnection = {
  __typename?: 'CompanyConnection';
  edges?: Maybe<Array<Maybe<CompanyEdge>>>;
  nodes?: Maybe<Array<Maybe<Company>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type CompanyEdge = {
  __typename?: 'CompanyEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<Company>;
};

/** Conditions on Companies; all of them must hold. Relationship fields filter by the related records. */
export type CompanyFilter = {
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Deals: conditions on the related Deals. */
  deals?: InputMaybe<DealFilter>;
  /** Description */
  description?: InputMaybe<StringFilter>;
  /** Domains */
  domains?: InputMaybe<CollectionFilter>;
  /** Employee count */
  employeeCount?: InputMaybe<NumberFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Industry */
  industry?: InputMaybe<CompanyIndustryFilter>;
  /** Name */
  name?: InputMaybe<StringFilter>;
  /** People: conditions on the related People. */
  people?: InputMaybe<PersonFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** Options of Company Industry. */
export type CompanyIndustry =
  /** Clarify value `Financial Services`. */
  | 'FINANCIAL_SERVICES'
  /** Clarify value `Healthcare`. */
  | 'HEALTHCARE'
  /** Clarify value `Manufacturing`. */
  | 'MANUFACTURING'
  /** Clarify value `Other`. */
  | 'OTHER'
  /** Clarify value `Retail`. */
  | 'RETAIL'
  /** Clarify value `Software`. */
  | 'SOFTWARE';

/** Conditions on Company Industry. */
export type CompanyIndustryFilter = {
  /** One of the values. */
  in?: InputMaybe<Array<CompanyIndustry>>;
  /** Equals. */
  is?: InputMaybe<CompanyIndustry>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<CompanyIndustry>;
  /** None of the values. */
  notIn?: InputMaybe<Array<CompanyIndustry>>;
};

/** Clarify sorts on one column; empty values sort last. */
export type CompanyOrderBy = {
  direction?: OrderDirection;
  field: CompanyOrderField;
};

/** Columns Companies can be sorted on. */
export type CompanyOrderField =
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Description */
  | 'DESCRIPTION'
  /** Employee count */
  | 'EMPLOYEE_COUNT'
  /** Id */
  | 'ID'
  /** Industry */
  | 'INDUSTRY'
  /** Name */
  | 'NAME'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Conditions on a date field. */
export type DateFilter = {
  /** Strictly after. */
  after?: InputMaybe<Scalars['Date']['input']>;
  /** Strictly before. */
  before?: InputMaybe<Scalars['Date']['input']>;
  /** Equals. */
  is?: InputMaybe<Scalars['Date']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['Date']['input']>;
  /** On or after. */
  onOrAfter?: InputMaybe<Scalars['Date']['input']>;
  /** On or before. */
  onOrBefore?: InputMaybe<Scalars['Date']['input']>;
};

/** Conditions on a date-time field. */
export type DateTimeFilter = {
  /** Strictly after. */
  after?: InputMaybe<Scalars['DateTime']['input']>;
  /** Strictly before. */
  before?: InputMaybe<Scalars['DateTime']['input']>;
  /** Equals. */
  is?: InputMaybe<Scalars['DateTime']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['DateTime']['input']>;
  /** On or after. */
  onOrAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** On or before. */
  onOrBefore?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A Clarify Deal record (`deal`). */
export type Deal = Record & {
  __typename?: 'Deal';
  /** Amount */
  amount?: Maybe<Scalars['Float']['output']>;
  /** Close date */
  closeDate?: Maybe<Scalars['Date']['output']>;
  /** Company */
  company?: Maybe<Company>;
  /** Company (id). */
  companyId?: Maybe<Scalars['ID']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Description */
  description?: Maybe<Scalars['String']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Name */
  name?: Maybe<Scalars['String']['output']>;
  /** Owner */
  owner?: Maybe<User>;
  /** Owner (id). */
  ownerId?: Maybe<Scalars['ID']['output']>;
  /** People */
  people: PersonConnection;
  /** Stage */
  stage?: Maybe<DealStage>;
  /** Tasks */
  tasks: TaskConnection;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};


/** A Clarify Deal record (`deal`). */
export type DealPeopleArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PersonFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PersonOrderBy>;
};


/** A Clarify Deal record (`deal`). */
export type DealTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TaskFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<TaskOrderBy>;
};

/** A page of Deals. */
export type DealConnection = {
  __typename?: 'DealConnection';
  edges?: Maybe<Array<Maybe<DealEdge>>>;
  nodes?: Maybe<Array<Maybe<Deal>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type DealEdge = {
  __typename?: 'DealEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<Deal>;
};

/** Conditions on Deals; all of them must hold. Relationship fields filter by the related records. */
export type DealFilter = {
  /** Amount */
  amount?: InputMaybe<NumberFilter>;
  /** Close date */
  closeDate?: InputMaybe<DateFilter>;
  /** Company: conditions on the related Companies. */
  company?: InputMaybe<CompanyFilter>;
  /** Company */
  companyId?: InputMaybe<IdFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Description */
  description?: InputMaybe<StringFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Name */
  name?: InputMaybe<StringFilter>;
  /** Owner */
  ownerId?: InputMaybe<IdFilter>;
  /** People: conditions on the related People. */
  people?: InputMaybe<PersonFilter>;
  /** Stage */
  stage?: InputMaybe<DealStageFilter>;
  /** Tasks: conditions on the related Tasks. */
  tasks?: InputMaybe<TaskFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** Clarify sorts on one column; empty values sort last. */
export type DealOrderBy = {
  direction?: OrderDirection;
  field: DealOrderField;
};

/** Columns Deals can be sorted on. */
export type DealOrderField =
  /** Amount */
  | 'AMOUNT'
  /** Close date */
  | 'CLOSE_DATE'
  /** Company */
  | 'COMPANY_ID'
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Description */
  | 'DESCRIPTION'
  /** Id */
  | 'ID'
  /** Name */
  | 'NAME'
  /** Owner */
  | 'OWNER_ID'
  /** Stage */
  | 'STAGE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Options of Deal Stage. */
export type DealStage =
  /** Clarify value `Lost`. */
  | 'LOST'
  /** Clarify value `Negotiation`. */
  | 'NEGOTIATION'
  /** Clarify value `Proposal`. */
  | 'PROPOSAL'
  /** Clarify value `Prospecting`. */
  | 'PROSPECTING'
  /** Clarify value `Qualification`. */
  | 'QUALIFICATION'
  /** Clarify value `Won`. */
  | 'WON';

/** Conditions on Deal Stage. */
export type DealStageFilter = {
  /** One of the values. */
  in?: InputMaybe<Array<DealStage>>;
  /** Equals. */
  is?: InputMaybe<DealStage>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<DealStage>;
  /** None of the values. */
  notIn?: InputMaybe<Array<DealStage>>;
};

/** Conditions on a record id. */
export type IdFilter = {
  /** Equals. */
  is?: InputMaybe<Scalars['ID']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['ID']['input']>;
};

/** A Clarify Meeting record (`meeting`). */
export type Meeting = Record & {
  __typename?: 'Meeting';
  /** All day */
  allDay?: Maybe<Scalars['Boolean']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** End */
  end?: Maybe<Scalars['DateTime']['output']>;
  /** Event ID */
  eventId?: Maybe<Scalars['String']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Participants */
  participants: Array<MeetingParticipantsItem>;
  /** People */
  people: PersonConnection;
  /** Start */
  start?: Maybe<Scalars['DateTime']['output']>;
  /** Title */
  title?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
  /** Visibility */
  visibility?: Maybe<Scalars['String']['output']>;
};


/** A Clarify Meeting record (`meeting`). */
export type MeetingPeopleArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PersonFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PersonOrderBy>;
};

/** A page of Meetings. */
export type MeetingConnection = {
  __typename?: 'MeetingConnection';
  edges?: Maybe<Array<Maybe<MeetingEdge>>>;
  nodes?: Maybe<Array<Maybe<Meeting>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type MeetingEdge = {
  __typename?: 'MeetingEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<Meeting>;
};

/** Conditions on Meetings; all of them must hold. Relationship fields filter by the related records. */
export type MeetingFilter = {
  /** All day */
  allDay?: InputMaybe<BooleanFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** End */
  end?: InputMaybe<DateTimeFilter>;
  /** Event ID */
  eventId?: InputMaybe<StringFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Participants */
  participants?: InputMaybe<CollectionFilter>;
  /** People: conditions on the related People. */
  people?: InputMaybe<PersonFilter>;
  /** Start */
  start?: InputMaybe<DateTimeFilter>;
  /** Title */
  title?: InputMaybe<StringFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
  /** Visibility */
  visibility?: InputMaybe<StringFilter>;
};

/** Clarify sorts on one column; empty values sort last. */
export type MeetingOrderBy = {
  direction?: OrderDirection;
  field: MeetingOrderField;
};

/** Columns Meetings can be sorted on. */
export type MeetingOrderField =
  /** All day */
  | 'ALL_DAY'
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** End */
  | 'END'
  /** Event ID */
  | 'EVENT_ID'
  /** Id */
  | 'ID'
  /** Start */
  | 'START'
  /** Title */
  | 'TITLE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY'
  /** Visibility */
  | 'VISIBILITY';

/** One item of Meeting Participants. */
export type MeetingParticipantsItem = {
  __typename?: 'MeetingParticipantsItem';
  email?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  organizer?: Maybe<Scalars['Boolean']['output']>;
  phoneNumber?: Maybe<Scalars['String']['output']>;
  /** The item as Clarify stores it. */
  raw: Scalars['JSON']['output'];
  status?: Maybe<Scalars['String']['output']>;
};

/** Conditions on a number field. */
export type NumberFilter = {
  /** Greater than. */
  gt?: InputMaybe<Scalars['Float']['input']>;
  /** Greater than or equal. */
  gte?: InputMaybe<Scalars['Float']['input']>;
  /** Equals. */
  is?: InputMaybe<Scalars['Float']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['Float']['input']>;
  /** Less than. */
  lt?: InputMaybe<Scalars['Float']['input']>;
  /** Less than or equal. */
  lte?: InputMaybe<Scalars['Float']['input']>;
};

export type OrderDirection =
  /** Smallest first; empty values last. */
  | 'ASC'
  | 'DESC';

/** Where a page sits in its connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A Clarify Person record (`person`). */
export type Person = Record & {
  __typename?: 'Person';
  /** Company */
  company?: Maybe<Company>;
  /** Company (id). */
  companyId?: Maybe<Scalars['ID']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Deals */
  deals: DealConnection;
  /** Description */
  description?: Maybe<Scalars['String']['output']>;
  /** Email addresses */
  emailAddresses: Array<Scalars['String']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Job title */
  jobTitle?: Maybe<Scalars['String']['output']>;
  /** Name */
  name?: Maybe<PersonName>;
  /** Phone numbers */
  phoneNumbers: Array<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};


/** A Clarify Person record (`person`). */
export type PersonDealsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DealFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DealOrderBy>;
};

/** A page of People. */
export type PersonConnection = {
  __typename?: 'PersonConnection';
  edges?: Maybe<Array<Maybe<PersonEdge>>>;
  nodes?: Maybe<Array<Maybe<Person>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type PersonEdge = {
  __typename?: 'PersonEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<Person>;
};

/** Conditions on People; all of them must hold. Relationship fields filter by the related records. */
export type PersonFilter = {
  /** Company: conditions on the related Companies. */
  company?: InputMaybe<CompanyFilter>;
  /** Company */
  companyId?: InputMaybe<IdFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Deals: conditions on the related Deals. */
  deals?: InputMaybe<DealFilter>;
  /** Description */
  description?: InputMaybe<StringFilter>;
  /** Email addresses */
  emailAddresses?: InputMaybe<CollectionFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Job title */
  jobTitle?: InputMaybe<StringFilter>;
  /** Name */
  name?: InputMaybe<StringFilter>;
  /** Phone numbers */
  phoneNumbers?: InputMaybe<CollectionFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** A person's name. */
export type PersonName = {
  __typename?: 'PersonName';
  firstName?: Maybe<Scalars['String']['output']>;
  fullName?: Maybe<Scalars['String']['output']>;
  lastName?: Maybe<Scalars['String']['output']>;
};

/** Clarify sorts on one column; empty values sort last. */
export type PersonOrderBy = {
  direction?: OrderDirection;
  field: PersonOrderField;
};

/** Columns People can be sorted on. */
export type PersonOrderField =
  /** Company */
  | 'COMPANY_ID'
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Description */
  | 'DESCRIPTION'
  /** Id */
  | 'ID'
  /** Job title */
  | 'JOB_TITLE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Records of the Clarify workspace. */
export type Query = {
  __typename?: 'Query';
  /** Companies, a page at a time. */
  companies: CompanyConnection;
  /** One Company by id; null when there is none. */
  company?: Maybe<Company>;
  /** One Deal by id; null when there is none. */
  deal?: Maybe<Deal>;
  /** Deals, a page at a time. */
  deals: DealConnection;
  /** One Meeting by id; null when there is none. */
  meeting?: Maybe<Meeting>;
  /** Meetings, a page at a time. */
  meetings: MeetingConnection;
  /** People, a page at a time. */
  people: PersonConnection;
  /** One Person by id; null when there is none. */
  person?: Maybe<Person>;
  /** One Sales Order by id; null when there is none. */
  salesOrder?: Maybe<SalesOrder>;
  /** Sales Orders, a page at a time. */
  salesOrders: SalesOrderConnection;
  /** One Task by id; null when there is none. */
  task?: Maybe<Task>;
  /** Tasks, a page at a time. */
  tasks: TaskConnection;
  /** One User by id; null when there is none. */
  user?: Maybe<User>;
  /** Users, a page at a time. */
  users: UserConnection;
};


/** Records of the Clarify workspace. */
export type QueryCompaniesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CompanyFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<CompanyOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryCompanyArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QueryDealArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QueryDealsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DealFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DealOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryMeetingArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QueryMeetingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MeetingFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<MeetingOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryPeopleArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PersonFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PersonOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryPersonArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QuerySalesOrderArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QuerySalesOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SalesOrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<SalesOrderOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryTaskArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QueryTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TaskFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<TaskOrderBy>;
};


/** Records of the Clarify workspace. */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** Records of the Clarify workspace. */
export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<UserOrderBy>;
};

/** Fields every Clarify record has. */
export type Record = {
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** Rich text: its blocks as Clarify stores them, and their plain text. */
export type RichText = {
  __typename?: 'RichText';
  blocks: Scalars['JSON']['output'];
  plainText: Scalars['String']['output'];
};

/** Orders placed by customer companies */
export type SalesOrder = Record & {
  __typename?: 'SalesOrder';
  /** Amount */
  amount?: Maybe<Scalars['Float']['output']>;
  /** Company */
  company?: Maybe<Company>;
  /** Company (id). */
  companyId?: Maybe<Scalars['ID']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Deal */
  deal?: Maybe<Deal>;
  /** Deal (id). */
  dealId?: Maybe<Scalars['ID']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Name */
  name?: Maybe<Scalars['String']['output']>;
  /** Ordered on */
  orderedOn?: Maybe<Scalars['Date']['output']>;
  /** Status */
  status?: Maybe<SalesOrderStatus>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};

/** A page of Sales Orders. */
export type SalesOrderConnection = {
  __typename?: 'SalesOrderConnection';
  edges?: Maybe<Array<Maybe<SalesOrderEdge>>>;
  nodes?: Maybe<Array<Maybe<SalesOrder>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type SalesOrderEdge = {
  __typename?: 'SalesOrderEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<SalesOrder>;
};

/** Conditions on Sales Orders; all of them must hold. Relationship fields filter by the related records. */
export type SalesOrderFilter = {
  /** Amount */
  amount?: InputMaybe<NumberFilter>;
  /** Company: conditions on the related Companies. */
  company?: InputMaybe<CompanyFilter>;
  /** Company */
  companyId?: InputMaybe<IdFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Deal: conditions on the related Deals. */
  deal?: InputMaybe<DealFilter>;
  /** Deal */
  dealId?: InputMaybe<IdFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Name */
  name?: InputMaybe<StringFilter>;
  /** Ordered on */
  orderedOn?: InputMaybe<DateFilter>;
  /** Status */
  status?: InputMaybe<SalesOrderStatusFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** Clarify sorts on one column; empty values sort last. */
export type SalesOrderOrderBy = {
  direction?: OrderDirection;
  field: SalesOrderOrderField;
};

/** Columns Sales Orders can be sorted on. */
export type SalesOrderOrderField =
  /** Amount */
  | 'AMOUNT'
  /** Company */
  | 'COMPANY_ID'
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Deal */
  | 'DEAL_ID'
  /** Id */
  | 'ID'
  /** Name */
  | 'NAME'
  /** Ordered on */
  | 'ORDERED_ON'
  /** Status */
  | 'STATUS'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Options of Sales Order Status. */
export type SalesOrderStatus =
  /** Clarify value `Canceled`. */
  | 'CANCELED'
  /** Clarify value `Confirmed`. */
  | 'CONFIRMED'
  /** Clarify value `Draft`. */
  | 'DRAFT'
  /** Clarify value `Fulfilled`. */
  | 'FULFILLED';

/** Conditions on Sales Order Status. */
export type SalesOrderStatusFilter = {
  /** One of the values. */
  in?: InputMaybe<Array<SalesOrderStatus>>;
  /** Equals. */
  is?: InputMaybe<SalesOrderStatus>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<SalesOrderStatus>;
  /** None of the values. */
  notIn?: InputMaybe<Array<SalesOrderStatus>>;
};

/** Conditions on a text field. */
export type StringFilter = {
  /** Contains, ignoring case. */
  contains?: InputMaybe<Scalars['String']['input']>;
  /** Ends with, ignoring case. */
  endsWith?: InputMaybe<Scalars['String']['input']>;
  /** Equals. */
  is?: InputMaybe<Scalars['String']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['String']['input']>;
  /** Does not contain, ignoring case. */
  notContains?: InputMaybe<Scalars['String']['input']>;
  /** Starts with, ignoring case. */
  startsWith?: InputMaybe<Scalars['String']['input']>;
};

/** A Clarify Task record (`task`). */
export type Task = Record & {
  __typename?: 'Task';
  /** Assignee */
  assignee?: Maybe<User>;
  /** Assignee (id). */
  assigneeId?: Maybe<Scalars['ID']['output']>;
  /** Company */
  company?: Maybe<Company>;
  /** Company (id). */
  companyId?: Maybe<Scalars['ID']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Deal */
  deal?: Maybe<Deal>;
  /** Deal (id). */
  dealId?: Maybe<Scalars['ID']['output']>;
  /** Description */
  description?: Maybe<RichText>;
  /** Due date */
  dueDate?: Maybe<Scalars['Date']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Meeting */
  meeting?: Maybe<Meeting>;
  /** Meeting (id). */
  meetingId?: Maybe<Scalars['ID']['output']>;
  /** Person */
  person?: Maybe<Person>;
  /** Person (id). */
  personId?: Maybe<Scalars['ID']['output']>;
  /** Priority */
  priority?: Maybe<TaskPriority>;
  /** Status */
  status?: Maybe<TaskStatus>;
  /** Title */
  title?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};

/** A page of Tasks. */
export type TaskConnection = {
  __typename?: 'TaskConnection';
  edges?: Maybe<Array<Maybe<TaskEdge>>>;
  nodes?: Maybe<Array<Maybe<Task>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type TaskEdge = {
  __typename?: 'TaskEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<Task>;
};

/** Conditions on Tasks; all of them must hold. Relationship fields filter by the related records. */
export type TaskFilter = {
  /** Assignee */
  assigneeId?: InputMaybe<IdFilter>;
  /** Company: conditions on the related Companies. */
  company?: InputMaybe<CompanyFilter>;
  /** Company */
  companyId?: InputMaybe<IdFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Deal: conditions on the related Deals. */
  deal?: InputMaybe<DealFilter>;
  /** Deal */
  dealId?: InputMaybe<IdFilter>;
  /** Due date */
  dueDate?: InputMaybe<DateFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Meeting: conditions on the related Meetings. */
  meeting?: InputMaybe<MeetingFilter>;
  /** Meeting */
  meetingId?: InputMaybe<IdFilter>;
  /** Person: conditions on the related People. */
  person?: InputMaybe<PersonFilter>;
  /** Person */
  personId?: InputMaybe<IdFilter>;
  /** Priority */
  priority?: InputMaybe<TaskPriorityFilter>;
  /** Status */
  status?: InputMaybe<TaskStatusFilter>;
  /** Title */
  title?: InputMaybe<StringFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** Clarify sorts on one column; empty values sort last. */
export type TaskOrderBy = {
  direction?: OrderDirection;
  field: TaskOrderField;
};

/** Columns Tasks can be sorted on. */
export type TaskOrderField =
  /** Assignee */
  | 'ASSIGNEE_ID'
  /** Company */
  | 'COMPANY_ID'
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Deal */
  | 'DEAL_ID'
  /** Due date */
  | 'DUE_DATE'
  /** Id */
  | 'ID'
  /** Meeting */
  | 'MEETING_ID'
  /** Person */
  | 'PERSON_ID'
  /** Priority */
  | 'PRIORITY'
  /** Status */
  | 'STATUS'
  /** Title */
  | 'TITLE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Options of Task Priority. */
export type TaskPriority =
  /** Clarify value `High`. */
  | 'HIGH'
  /** Clarify value `Low`. */
  | 'LOW'
  /** Clarify value `Medium`. */
  | 'MEDIUM'
  /** Clarify value `Urgent`. */
  | 'URGENT';

/** Conditions on Task Priority. */
export type TaskPriorityFilter = {
  /** One of the values. */
  in?: InputMaybe<Array<TaskPriority>>;
  /** Equals. */
  is?: InputMaybe<TaskPriority>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<TaskPriority>;
  /** None of the values. */
  notIn?: InputMaybe<Array<TaskPriority>>;
};

/** Options of Task Status. */
export type TaskStatus =
  /** Clarify value `Canceled`. */
  | 'CANCELED'
  /** Clarify value `Done`. */
  | 'DONE'
  /** Clarify value `In Progress`. */
  | 'IN_PROGRESS'
  /** Clarify value `To Do`. */
  | 'TO_DO';

/** Conditions on Task Status. */
export type TaskStatusFilter = {
  /** One of the values. */
  in?: InputMaybe<Array<TaskStatus>>;
  /** Equals. */
  is?: InputMaybe<TaskStatus>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<TaskStatus>;
  /** None of the values. */
  notIn?: InputMaybe<Array<TaskStatus>>;
};

/** A Clarify User record (`user`). */
export type User = Record & {
  __typename?: 'User';
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Created By */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Email */
  email?: Maybe<Scalars['String']['output']>;
  /** The Clarify record id. */
  id: Scalars['ID']['output'];
  /** Name */
  name?: Maybe<PersonName>;
  /** Profile picture */
  profilePicture?: Maybe<Scalars['String']['output']>;
  /** Roles */
  roles: Array<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Updated By */
  updatedBy?: Maybe<Scalars['String']['output']>;
};

/** A page of Users. */
export type UserConnection = {
  __typename?: 'UserConnection';
  edges?: Maybe<Array<Maybe<UserEdge>>>;
  nodes?: Maybe<Array<Maybe<User>>>;
  pageInfo: PageInfo;
  /** How many records match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  cursor: Scalars['String']['output'];
  node?: Maybe<User>;
};

/** Conditions on Users; all of them must hold. Relationship fields filter by the related records. */
export type UserFilter = {
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<StringFilter>;
  /** Email */
  email?: InputMaybe<StringFilter>;
  /** Id */
  id?: InputMaybe<IdFilter>;
  /** Name */
  name?: InputMaybe<StringFilter>;
  /** Profile picture */
  profilePicture?: InputMaybe<StringFilter>;
  /** Roles */
  roles?: InputMaybe<CollectionFilter>;
  /** Updated At */
  updatedAt?: InputMaybe<DateTimeFilter>;
  /** Updated By */
  updatedBy?: InputMaybe<StringFilter>;
};

/** Clarify sorts on one column; empty values sort last. */
export type UserOrderBy = {
  direction?: OrderDirection;
  field: UserOrderField;
};

/** Columns Users can be sorted on. */
export type UserOrderField =
  /** Created At */
  | 'CREATED_AT'
  /** Created By */
  | 'CREATED_BY'
  /** Email */
  | 'EMAIL'
  /** Id */
  | 'ID'
  /** Profile picture */
  | 'PROFILE_PICTURE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** Options of Deal Stage. */
export type DealStage =
  /** Clarify value `Lost`. */
  | 'LOST'
  /** Clarify value `Negotiation`. */
  | 'NEGOTIATION'
  /** Clarify value `Proposal`. */
  | 'PROPOSAL'
  /** Clarify value `Prospecting`. */
  | 'PROSPECTING'
  /** Clarify value `Qualification`. */
  | 'QUALIFICATION'
  /** Clarify value `Won`. */
  | 'WON';

export type DealsWithCompanyAndPeopleQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DealsWithCompanyAndPeopleQuery = { deals: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, amount: number | null, stage: DealStage | null, company: { id: string, name: string | null } | null, people: { totalCount: number, nodes: Array<{ id: string, name: { fullName: string | null } | null, company: { id: string, name: string | null } | null } | null> | null } } | null> | null } };

export type PersonByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type PersonByIdQuery = { person: { id: string, emailAddresses: Array<string>, name: { firstName: string | null, lastName: string | null, fullName: string | null } | null, company: { id: string, name: string | null } | null } | null };


export const DealsWithCompanyAndPeopleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DealsWithCompanyAndPeople"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"people"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DealsWithCompanyAndPeopleQuery, DealsWithCompanyAndPeopleQueryVariables>;
export const PersonByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PersonById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"emailAddresses"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<PersonByIdQuery, PersonByIdQueryVariables>;