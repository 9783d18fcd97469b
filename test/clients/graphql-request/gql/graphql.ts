/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
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

export type AttachUploadedFileInput = {
  object: RecordType;
  recordId: Scalars['ID']['input'];
  /** The `id` of the `AttachmentUpload`. */
  uploadId: Scalars['ID']['input'];
};

/** Conditions on a checkbox. */
export type BooleanFilter = {
  /** Equals. */
  is?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not equal. */
  isNot?: InputMaybe<Scalars['Boolean']['input']>;
};

/** What happened to a record. */
export type ChangeKind =
  /** The record was created (its `createdAt` is after the subscription started watching). */
  | 'CREATED'
  /** The record was deleted; `record` is null. */
  | 'DELETED'
  /** The record was changed, or changed so that it now matches the filter. */
  | 'UPDATED';

/** Conditions on a multi-value field: `contains` matches when one item matches. */
export type CollectionFilter = {
  /** Contains, ignoring case. */
  contains?: InputMaybe<Scalars['String']['input']>;
  /** `true`: the field is empty; `false`: it is not. */
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Does not contain, ignoring case. */
  notContains?: InputMaybe<Scalars['String']['input']>;
};

/** A comment body: `plainText` (one paragraph per line) or a flat list of BlockNote `blocks` (no nested children), not both. */
export type CommentBodyInput = {
  blocks?: InputMaybe<Scalars['JSON']['input']>;
  plainText?: InputMaybe<Scalars['String']['input']>;
};

/** Conditions on Companies; all of them must hold. Relationship fields filter by the related records. */
export type CompanyFilter = {
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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

export type CreateCommentInput = {
  body: CommentBodyInput;
  object: RecordType;
  recordId: Scalars['ID']['input'];
};

/** A new Company. A record with the same domains is updated instead (upsert). */
export type CreateCompanyInput = {
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Domains */
  domains?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Employee count */
  employeeCount?: InputMaybe<Scalars['Float']['input']>;
  /** Industry */
  industry?: InputMaybe<CompanyIndustry>;
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCompanyListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<CompanyFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

export type CreateCustomFieldInput = {
  /** Clarify field name: lowercase letters, digits and `_`, starting with a letter (`loyalty_tier`). */
  name: Scalars['String']['input'];
  /** Object slug, e.g. `person` or `c_sales_order`. */
  object: Scalars['String']['input'];
  /** Options of a SELECT field. */
  options?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Display name; defaults to the name. */
  title?: InputMaybe<Scalars['String']['input']>;
  type: CustomFieldType;
};

export type CreateCustomObjectInput = {
  /** At most 256 characters; Clarify shows it to its AI as context. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Singular, 1 to 32 characters; the slug is `c_` + its snake_case. */
  name: Scalars['String']['input'];
  plural: Scalars['String']['input'];
};

/** A new Deal. A record with the same name is updated instead (upsert). */
export type CreateDealInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Close date */
  closeDate?: InputMaybe<Scalars['Date']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Name (required). */
  name: Scalars['String']['input'];
  /** Owner (id). */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Stage */
  stage?: InputMaybe<DealStage>;
};

export type CreateDealListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<DealFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

/** A new Meeting. */
export type CreateMeetingInput = {
  /** All day */
  allDay?: InputMaybe<Scalars['Boolean']['input']>;
  /** End */
  end?: InputMaybe<Scalars['DateTime']['input']>;
  /** Event ID */
  eventId?: InputMaybe<Scalars['String']['input']>;
  /** Participants */
  participants?: InputMaybe<Array<MeetingParticipantsItemInput>>;
  /** Start */
  start?: InputMaybe<Scalars['DateTime']['input']>;
  /** Title */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Visibility */
  visibility?: InputMaybe<Scalars['String']['input']>;
};

export type CreateMeetingListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<MeetingFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

/** A new Person. A record with the same email_addresses is updated instead (upsert). */
export type CreatePersonInput = {
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Email addresses (valid email addresses). */
  emailAddresses?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Job title */
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  /** Name */
  name?: InputMaybe<PersonNameInput>;
  /** Phone numbers */
  phoneNumbers?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreatePersonListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<PersonFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

/** A new Sales Order. A record with the same name is updated instead (upsert). */
export type CreateSalesOrderInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Ordered on */
  orderedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Status */
  status?: InputMaybe<SalesOrderStatus>;
};

export type CreateSalesOrderListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<SalesOrderFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

/** A new Task. */
export type CreateTaskInput = {
  /** Assignee (id). */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<RichTextInput>;
  /** Due date */
  dueDate?: InputMaybe<Scalars['Date']['input']>;
  /** Meeting (id). */
  meetingId?: InputMaybe<Scalars['ID']['input']>;
  /** Person (id). */
  personId?: InputMaybe<Scalars['ID']['input']>;
  /** Priority */
  priority?: InputMaybe<TaskPriority>;
  /** Status */
  status?: InputMaybe<TaskStatus>;
  /** Title (required). */
  title: Scalars['String']['input'];
};

export type CreateTaskListInput = {
  /** For a dynamic list: the records it holds. */
  filter?: InputMaybe<TaskFilter>;
  kind?: InputMaybe<SavedListKind>;
  name: Scalars['String']['input'];
};

export type CustomFieldType =
  | 'BOOLEAN'
  | 'DATE'
  | 'NUMBER'
  | 'SELECT'
  | 'TEXT';

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
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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

export type EditSelectOptionsInput = {
  /** Options to add. */
  add?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Clarify field name of a select field, e.g. `industry`. */
  field: Scalars['String']['input'];
  object: Scalars['String']['input'];
  /** Options to rename: `{"Old": "New"}`. Stored values follow. */
  rename?: InputMaybe<Scalars['JSON']['input']>;
  /** Wait (up to 10 s) for Clarify to apply it. */
  wait?: InputMaybe<Scalars['Boolean']['input']>;
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

/** Conditions on Meetings; all of them must hold. Relationship fields filter by the related records. */
export type MeetingFilter = {
  /** All day */
  allDay?: InputMaybe<BooleanFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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
export type MeetingParticipantsItemInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  organizer?: InputMaybe<Scalars['Boolean']['input']>;
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
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

/** Conditions on People; all of them must hold. Relationship fields filter by the related records. */
export type PersonFilter = {
  /** Company: conditions on the related Companies. */
  company?: InputMaybe<CompanyFilter>;
  /** Company */
  companyId?: InputMaybe<IdFilter>;
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
};

/** A person's name. Give first and last name, or only `fullName` (split on the first space by Clarify). */
export type PersonNameInput = {
  firstName?: InputMaybe<Scalars['String']['input']>;
  fullName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
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
  /** Name */
  | 'NAME'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

/** A Clarify object whose records the operation concerns. */
export type RecordType =
  /** Company (`company`). */
  | 'COMPANY'
  /** Deal (`deal`). */
  | 'DEAL'
  /** Meeting (`meeting`). */
  | 'MEETING'
  /** Person (`person`). */
  | 'PERSON'
  /** SalesOrder (`c_sales_order`). */
  | 'SALES_ORDER'
  /** Task (`task`). */
  | 'TASK';

export type RemoveAttachmentInput = {
  attachmentId: Scalars['ID']['input'];
  object: RecordType;
  recordId: Scalars['ID']['input'];
};

export type RequestAttachmentUploadInput = {
  /** Media type, e.g. `application/pdf`. */
  contentType: Scalars['String']['input'];
  fileName: Scalars['String']['input'];
  object: RecordType;
  recordId: Scalars['ID']['input'];
  /** Exact size in bytes; Clarify refuses files over its limit. */
  size: Scalars['Int']['input'];
};

/** Rich text: either `plainText` (one paragraph per line) or Clarify `blocks` (BlockNote), not both. */
export type RichTextInput = {
  blocks?: InputMaybe<Scalars['JSON']['input']>;
  plainText?: InputMaybe<Scalars['String']['input']>;
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
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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

/** A static list holds the records added to it; a dynamic list holds the records its filter matches. */
export type SavedListKind =
  | 'DYNAMIC'
  | 'STATIC';

/** APPLIED: in the schema (and the gateway reloaded it). PENDING: Clarify is still applying it; poll `schemaChange(id)`. FAILED: Clarify gave up; see `error`. */
export type SchemaChangeStatus =
  | 'APPLIED'
  | 'FAILED'
  | 'PENDING';

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
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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

/** Changes to a Company: only the fields given change; an explicit null clears a field. */
export type UpdateCompanyInput = {
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Domains */
  domains?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Employee count */
  employeeCount?: InputMaybe<Scalars['Float']['input']>;
  /** Industry */
  industry?: InputMaybe<CompanyIndustry>;
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** One Company of a bulk update: its id and the fields to change. */
export type UpdateCompanyItemInput = {
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Domains */
  domains?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Employee count */
  employeeCount?: InputMaybe<Scalars['Float']['input']>;
  id: Scalars['ID']['input'];
  /** Industry */
  industry?: InputMaybe<CompanyIndustry>;
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a Deal: only the fields given change; an explicit null clears a field. */
export type UpdateDealInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Close date */
  closeDate?: InputMaybe<Scalars['Date']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Name (required). */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Owner (id). */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Stage */
  stage?: InputMaybe<DealStage>;
};

/** One Deal of a bulk update: its id and the fields to change. */
export type UpdateDealItemInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Close date */
  closeDate?: InputMaybe<Scalars['Date']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  /** Name (required). */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Owner (id). */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Stage */
  stage?: InputMaybe<DealStage>;
};

/** Changes to a Meeting: only the fields given change; an explicit null clears a field. */
export type UpdateMeetingInput = {
  /** All day */
  allDay?: InputMaybe<Scalars['Boolean']['input']>;
  /** End */
  end?: InputMaybe<Scalars['DateTime']['input']>;
  /** Event ID */
  eventId?: InputMaybe<Scalars['String']['input']>;
  /** Participants */
  participants?: InputMaybe<Array<MeetingParticipantsItemInput>>;
  /** Start */
  start?: InputMaybe<Scalars['DateTime']['input']>;
  /** Title */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Visibility */
  visibility?: InputMaybe<Scalars['String']['input']>;
};

/** One Meeting of a bulk update: its id and the fields to change. */
export type UpdateMeetingItemInput = {
  /** All day */
  allDay?: InputMaybe<Scalars['Boolean']['input']>;
  /** End */
  end?: InputMaybe<Scalars['DateTime']['input']>;
  /** Event ID */
  eventId?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  /** Participants */
  participants?: InputMaybe<Array<MeetingParticipantsItemInput>>;
  /** Start */
  start?: InputMaybe<Scalars['DateTime']['input']>;
  /** Title */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Visibility */
  visibility?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a Person: only the fields given change; an explicit null clears a field. */
export type UpdatePersonInput = {
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Email addresses (valid email addresses). */
  emailAddresses?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Job title */
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  /** Name */
  name?: InputMaybe<PersonNameInput>;
  /** Phone numbers */
  phoneNumbers?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One Person of a bulk update: its id and the fields to change. */
export type UpdatePersonItemInput = {
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Email addresses (valid email addresses). */
  emailAddresses?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  /** Job title */
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  /** Name */
  name?: InputMaybe<PersonNameInput>;
  /** Phone numbers */
  phoneNumbers?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Changes to a Sales Order: only the fields given change; an explicit null clears a field. */
export type UpdateSalesOrderInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Ordered on */
  orderedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Status */
  status?: InputMaybe<SalesOrderStatus>;
};

/** One Sales Order of a bulk update: its id and the fields to change. */
export type UpdateSalesOrderItemInput = {
  /** Amount */
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
  /** Name */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Ordered on */
  orderedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Status */
  status?: InputMaybe<SalesOrderStatus>;
};

/** Changes to a Task: only the fields given change; an explicit null clears a field. */
export type UpdateTaskInput = {
  /** Assignee (id). */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<RichTextInput>;
  /** Due date */
  dueDate?: InputMaybe<Scalars['Date']['input']>;
  /** Meeting (id). */
  meetingId?: InputMaybe<Scalars['ID']['input']>;
  /** Person (id). */
  personId?: InputMaybe<Scalars['ID']['input']>;
  /** Priority */
  priority?: InputMaybe<TaskPriority>;
  /** Status */
  status?: InputMaybe<TaskStatus>;
  /** Title (required). */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** One Task of a bulk update: its id and the fields to change. */
export type UpdateTaskItemInput = {
  /** Assignee (id). */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  /** Company (id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Deal (id). */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Description */
  description?: InputMaybe<RichTextInput>;
  /** Due date */
  dueDate?: InputMaybe<Scalars['Date']['input']>;
  id: Scalars['ID']['input'];
  /** Meeting (id). */
  meetingId?: InputMaybe<Scalars['ID']['input']>;
  /** Person (id). */
  personId?: InputMaybe<Scalars['ID']['input']>;
  /** Priority */
  priority?: InputMaybe<TaskPriority>;
  /** Status */
  status?: InputMaybe<TaskStatus>;
  /** Title (required). */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** Conditions on Users; all of them must hold. Relationship fields filter by the related records. */
export type UserFilter = {
  /** Created At */
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Created By */
  createdBy?: InputMaybe<IdFilter>;
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
  updatedBy?: InputMaybe<IdFilter>;
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
  /** Name */
  | 'NAME'
  /** Profile picture */
  | 'PROFILE_PICTURE'
  /** Updated At */
  | 'UPDATED_AT'
  /** Updated By */
  | 'UPDATED_BY';

export type DealsPageQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DealsPageQuery = { __typename?: 'Query', deals?: { __typename?: 'DealConnection', nodes: Array<{ __typename?: 'Deal', id: string, name?: string | null, amount?: number | null, stage?: DealStage | null, company?: { __typename?: 'Company', name?: string | null } | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type DealNodeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DealNodeQuery = { __typename?: 'Query', node?:
    | { __typename: 'Comment', id: string }
    | { __typename: 'Company', id: string }
    | { __typename: 'CompanyList', id: string }
    | { __typename: 'Deal', name?: string | null, stage?: DealStage | null, id: string }
    | { __typename: 'DealList', id: string }
    | { __typename: 'Meeting', id: string }
    | { __typename: 'MeetingList', id: string }
    | { __typename: 'Person', id: string }
    | { __typename: 'PersonList', id: string }
    | { __typename: 'SalesOrder', id: string }
    | { __typename: 'SalesOrderList', id: string }
    | { __typename: 'Task', id: string }
    | { __typename: 'TaskList', id: string }
    | { __typename: 'User', id: string }
   | null };


export const DealsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DealsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DealsPageQuery, DealsPageQueryVariables>;
export const DealNodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DealNode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}}]}}]}}]}}]} as unknown as DocumentNode<DealNodeQuery, DealNodeQueryVariables>;