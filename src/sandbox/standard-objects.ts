import type { FieldDef, FieldKind, ObjectDef, RelationshipDef } from './model.js';

type FieldSpec = Omit<FieldDef, 'rank' | 'title'> & { title?: string };

function titleCase(name: string): string {
  const words = name.replace(/_id$/, '').split('_').filter(Boolean);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function defineObject(options: {
  slug: string;
  singular: string;
  plural: string;
  custom?: boolean;
  readOnly?: boolean;
  description?: string | null;
  required?: string[];
  fields: FieldSpec[];
}): ObjectDef {
  const fields = new Map<string, FieldDef>();
  options.fields.forEach((spec, rank) => {
    fields.set(spec.name, { ...spec, title: spec.title ?? titleCase(spec.name), rank });
  });
  return {
    slug: options.slug,
    title: options.singular,
    singular: options.singular,
    plural: options.plural,
    description: options.description ?? null,
    custom: options.custom ?? false,
    readOnly: options.readOnly ?? false,
    fields,
    required: options.required ?? [],
  };
}

const f = (name: string, kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind, ...extra });
const fk = (name: string, entity: string, field?: string): FieldSpec =>
  f(name, 'fk', { relationship: rel('many-to-one', entity, field) });
const userRef = (name: string): FieldSpec => f(name, 'user-ref', { relationship: rel('many-to-one', 'user') });
const toMany = (name: string, kind: 'one-to-many' | 'many-to-many', entity: string, field?: string): FieldSpec =>
  f(name, 'to-many', { relationship: rel(kind, entity, field) });

function rel(kind: RelationshipDef['kind'], entity: string, field?: string): RelationshipDef {
  return field === undefined ? { kind, entity } : { kind, entity, field };
}

export const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail', 'Other'];
export const DEAL_STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Won', 'Lost'];
export const TASK_STATUSES = ['To Do', 'In Progress', 'Done', 'Canceled'];
export const TASK_PRIORITIES = ['Urgent', 'High', 'Medium', 'Low'];
export const ORDER_STATUSES = ['Draft', 'Confirmed', 'Fulfilled', 'Canceled'];

/** The objects of a fresh demo workspace, in `/schemas` order. */
export function standardObjects(): ObjectDef[] {
  return [
    defineObject({
      slug: 'person',
      singular: 'Person',
      plural: 'People',
      fields: [
        f('name', 'name', { primary: true }),
        f('email_addresses', 'collection', { email: true, unique: true, title: 'Email addresses' }),
        f('phone_numbers', 'collection', { title: 'Phone numbers' }),
        f('job_title', 'text', { title: 'Job title' }),
        fk('company_id', 'company', 'people'),
        f('description', 'text'),
        toMany('deals', 'many-to-many', 'deal', 'people'),
      ],
    }),
    defineObject({
      slug: 'company',
      singular: 'Company',
      plural: 'Companies',
      fields: [
        f('name', 'text', { primary: true }),
        f('domains', 'collection', { unique: true }),
        f('description', 'text'),
        f('employee_count', 'number', { title: 'Employee count' }),
        f('industry', 'select', { options: INDUSTRIES }),
        toMany('people', 'one-to-many', 'person', 'company_id'),
        toMany('deals', 'one-to-many', 'deal', 'company_id'),
      ],
    }),
    defineObject({
      slug: 'deal',
      singular: 'Deal',
      plural: 'Deals',
      required: ['name'],
      fields: [
        f('name', 'text', { primary: true, unique: true }),
        f('amount', 'number'),
        f('stage', 'select', { options: DEAL_STAGES }),
        f('close_date', 'date', { title: 'Close date' }),
        fk('company_id', 'company', 'deals'),
        userRef('owner_id'),
        f('description', 'text'),
        toMany('people', 'many-to-many', 'person', 'deals'),
        toMany('tasks', 'one-to-many', 'task', 'deal_id'),
      ],
    }),
    defineObject({
      slug: 'meeting',
      singular: 'Meeting',
      plural: 'Meetings',
      fields: [
        f('title', 'text', { primary: true }),
        f('start', 'date-time'),
        f('end', 'date-time'),
        f('all_day', 'boolean', { title: 'All day' }),
        f('visibility', 'text'),
        f('event_id', 'text', { title: 'Event ID' }),
        f('participants', 'object-collection'),
        toMany('people', 'many-to-many', 'person'),
      ],
    }),
    defineObject({
      slug: 'task',
      singular: 'Task',
      plural: 'Tasks',
      required: ['title'],
      fields: [
        f('title', 'text', { primary: true }),
        f('description', 'rich-text'),
        f('status', 'select', { options: TASK_STATUSES }),
        f('priority', 'select', { options: TASK_PRIORITIES }),
        f('due_date', 'date', { title: 'Due date' }),
        userRef('assignee_id'),
        fk('person_id', 'person'),
        fk('company_id', 'company'),
        fk('deal_id', 'deal', 'tasks'),
        fk('meeting_id', 'meeting'),
      ],
    }),
    defineObject({
      slug: 'user',
      singular: 'User',
      plural: 'Users',
      readOnly: true,
      fields: [
        f('name', 'name', { primary: true }),
        f('email', 'text'),
        f('roles', 'collection'),
        f('profile_picture', 'text', { title: 'Profile picture' }),
      ],
    }),
    defineObject({
      slug: 'c_sales_order',
      singular: 'Sales Order',
      plural: 'Sales Orders',
      custom: true,
      description: 'Orders placed by customer companies',
      fields: [
        f('name', 'text', { primary: true, unique: true }),
        f('amount', 'number'),
        f('status', 'select', { options: ORDER_STATUSES }),
        f('ordered_on', 'date', { title: 'Ordered on' }),
        fk('company_id', 'company'),
        fk('deal_id', 'deal'),
      ],
    }),
  ];
}
