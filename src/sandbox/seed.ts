import { createRng, type Rng } from './prng.js';
import type { Store, StoredRecord } from './store.js';
import { DEAL_STAGES, INDUSTRIES, ORDER_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from './standard-objects.js';

/** Proportions of a default-sized workspace (about 300 records with the users). */
const BASE_COUNTS = { company: 22, person: 90, deal: 45, meeting: 32, task: 70, c_sales_order: 33 } as const;
const USER_COUNT = 8;
/** How records beyond the default size are spread; people grow fastest so paging has depth. */
const EXTRA_WEIGHTS = { company: 0.08, person: 0.45, deal: 0.14, meeting: 0.08, task: 0.17, c_sales_order: 0.08 } as const;
/** The first company always gets this many people so relationship paging can be exercised. */
const ANCHOR_PEOPLE = 32;

const DAY = 86_400_000;
const EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);

const FIRST_NAMES = [
  'Jane', 'John', 'Maria', 'Ahmed', 'Wei', 'Priya', 'Lucas', 'Sofia', 'Noah', 'Emma', 'Liam', 'Olivia', 'Mateo',
  'Aisha', 'Kenji', 'Chloe', 'Diego', 'Hannah', 'Omar', 'Yuki', 'Elena', 'Samuel', 'Grace', 'Ivan', 'Fatima',
  'Tom', 'Nina', 'Arjun', 'Leila', 'Ben', 'Clara', 'Daniel', 'Zoe', 'Felix', 'Amara', 'Hugo', 'Ines', 'Jonas',
  'Mei', 'Rafael', 'Sara', 'Victor', 'Alice', 'Marcus', 'Julia', 'Theo', 'Laura', 'Ethan', 'Nora', 'Pablo',
];
const LAST_NAMES = [
  'Doe', 'Smith', 'Garcia', 'Khan', 'Chen', 'Patel', 'Martin', 'Rossi', 'Johnson', 'Muller', 'Brown', 'Nguyen',
  'Silva', 'Okafor', 'Tanaka', 'Dubois', 'Lopez', 'Schmidt', 'Haddad', 'Sato', 'Petrov', 'Cohen', 'Kim', 'Novak',
  'Ali', 'Walker', 'Larsen', 'Singh', 'Moreau', 'Fischer', 'Costa', 'Wright', 'Ivanova', 'Baker', 'Jensen',
  'Romero', 'Hughes', 'Yamamoto', 'Clarke', 'Weber', 'Alvarez', 'Murphy', 'Lindqvist', 'Evans', 'Reyes',
];
const COMPANY_FIRST = [
  'Northwind', 'Bluebird', 'Summit', 'Redwood', 'Ironclad', 'Brightline', 'Cobalt', 'Evergreen', 'Harbor',
  'Keystone', 'Lumen', 'Meridian', 'Nimbus', 'Orchid', 'Pioneer', 'Quarry', 'Riverstone', 'Sierra', 'Tidewater',
  'Vertex', 'Willow', 'Zephyr', 'Aurora', 'Beacon', 'Cascade', 'Ember', 'Falcon', 'Granite', 'Horizon', 'Juniper',
];
const COMPANY_SECOND: ReadonlyArray<readonly [string, string]> = [
  ['Analytics', 'Software'], ['Labs', 'Software'], ['Systems', 'Software'], ['Health', 'Healthcare'],
  ['Logistics', 'Other'], ['Capital', 'Financial Services'], ['Foods', 'Retail'], ['Robotics', 'Manufacturing'],
  ['Energy', 'Other'], ['Media', 'Other'], ['Software', 'Software'], ['Bank', 'Financial Services'],
  ['Manufacturing', 'Manufacturing'], ['Outfitters', 'Retail'], ['Partners', 'Financial Services'],
  ['Networks', 'Software'], ['Bio', 'Healthcare'], ['Dynamics', 'Manufacturing'], ['Clinics', 'Healthcare'],
  ['Markets', 'Retail'],
];
const JOB_TITLES = [
  'CEO', 'CTO', 'CFO', 'VP Sales', 'VP Engineering', 'Head of Operations', 'Account Executive', 'Product Manager',
  'Software Engineer', 'Procurement Lead', 'Marketing Director', 'Customer Success Manager', 'Data Analyst',
  'Office Manager', 'Head of IT', 'Sales Director',
];
const DEAL_PRODUCTS = [
  'Renewal', 'Expansion', 'Pilot', 'Platform License', 'Onboarding', 'Upsell', 'Enterprise Plan', 'Support Contract',
  'Data Migration', 'Seat Increase',
];
const MEETING_TITLES = ['Intro call', 'Product demo', 'Quarterly business review', 'Pricing discussion', 'Kickoff', 'Security review', 'Contract walkthrough'];
const TASK_TITLES = ['Follow up with', 'Send proposal to', 'Schedule demo for', 'Prepare QBR deck for', 'Review contract with', 'Call', 'Share pricing with', 'Check in with'];
const PERSONAL_DOMAINS = ['gmail.com', 'outlook.com', 'proton.me'];
const USER_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Alex', 'Rivera'], ['Sam', 'Taylor'], ['Jordan', 'Lee'], ['Morgan', 'Price'], ['Casey', 'Nakamura'],
  ['Riley', 'Bennett'], ['Avery', 'Okoye'], ['Quinn', 'Delgado'], ['Rowan', 'Fitzgerald'], ['Harper', 'Sandoval'],
];

export interface SeedCounts {
  user: number;
  company: number;
  person: number;
  deal: number;
  meeting: number;
  task: number;
  c_sales_order: number;
}

export function seedCounts(records: number): SeedCounts {
  const baseTotal = USER_COUNT + Object.values(BASE_COUNTS).reduce((sum, count) => sum + count, 0);
  if (records <= baseTotal) {
    const scale = Math.max(records, 20) / baseTotal;
    const scaled = (count: number): number => Math.max(2, Math.round(count * scale));
    return {
      user: Math.max(2, Math.round(USER_COUNT * scale)),
      company: scaled(BASE_COUNTS.company),
      person: scaled(BASE_COUNTS.person),
      deal: scaled(BASE_COUNTS.deal),
      meeting: scaled(BASE_COUNTS.meeting),
      task: scaled(BASE_COUNTS.task),
      c_sales_order: scaled(BASE_COUNTS.c_sales_order),
    };
  }
  const extra = records - baseTotal;
  const grow = (key: keyof typeof BASE_COUNTS): number => BASE_COUNTS[key] + Math.round(extra * EXTRA_WEIGHTS[key]);
  return {
    user: USER_COUNT,
    company: grow('company'),
    person: grow('person'),
    deal: grow('deal'),
    meeting: grow('meeting'),
    task: grow('task'),
    c_sales_order: grow('c_sales_order'),
  };
}

/** Everything the request handlers need to know about the seeded workspace. */
export interface SeedResult {
  /** The user the sandbox key acts as. */
  actorId: string;
  counts: SeedCounts;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

class Generator {
  private readonly rng: Rng;
  private readonly userIds: string[] = [];
  private readonly usedEmails = new Set<string>();

  constructor(
    private readonly store: Store,
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  private actor(): string {
    return this.userIds.length > 0 && this.rng.chance(0.85) ? this.rng.pick(this.userIds) : 'system';
  }

  /** Stores a record; every record of one object gets the same attribute layout (nulls kept). */
  private add(type: string, id: string, attrs: Record<string, unknown>): StoredRecord {
    const rng = this.rng;
    const created = EPOCH + Math.floor(rng.next() * 480 * DAY);
    const updated = rng.chance(0.6) ? created : created + Math.floor(rng.next() * 60 * DAY);
    const record: StoredRecord = {
      id,
      type,
      attrs: Object.assign(
        { _id: id, _created_at: iso(created), _updated_at: iso(updated), _created_by: this.actor(), _updated_by: this.actor() },
        attrs,
      ),
    };
    this.store.insert(record);
    return record;
  }

  private uniqueEmail(local: string, domain: string): string {
    let email = `${local}@${domain}`;
    for (let n = 2; this.usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
    this.usedEmails.add(email);
    return email;
  }

  run(counts: SeedCounts): SeedResult {
    const rng = this.rng;
    const store = this.store;

    for (let i = 0; i < counts.user; i++) {
      const [first, last] = USER_NAMES[i % USER_NAMES.length]!;
      const created = EPOCH - (counts.user - i) * 7 * DAY;
      const id = `user_${rng.ulid(created)}`;
      const suffix = i < USER_NAMES.length ? '' : String(Math.floor(i / USER_NAMES.length) + 1);
      this.userIds.push(id);
      store.insert({
        id,
        type: 'user',
        attrs: {
          _id: id,
          _created_at: iso(created),
          _updated_at: iso(created),
          _created_by: 'system',
          _updated_by: 'system',
          name: { first_name: first, last_name: last, full_name: `${first} ${last}` },
          email: `${first.toLowerCase()}${suffix}@clarify-demo.com`,
          roles: { items: i === 0 ? ['admin'] : ['member'] },
          ...(i % 3 === 2 ? {} : { profile_picture: `https://avatars.clarify-demo.com/${id}.png` }),
        },
      });
    }

    const companies: Array<{ record: StoredRecord; domain: string; people: StoredRecord[]; deals: StoredRecord[] }> = [];
    const usedNames = new Set<string>();
    const usedDomains = new Set<string>();
    for (let i = 0; i < counts.company; i++) {
      let name: string;
      let industry: string;
      if (i === 0) {
        name = 'Acme Corporation';
        industry = 'Manufacturing';
      } else {
        const [second, secondIndustry] = rng.pick(COMPANY_SECOND);
        name = `${rng.pick(COMPANY_FIRST)} ${second}`;
        industry = rng.chance(0.85) ? secondIndustry : rng.pick(INDUSTRIES);
      }
      for (let n = 2; usedNames.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
      usedNames.add(name);
      let domain = i === 0 ? 'acme.com' : `${name.toLowerCase().replace(/ /g, '')}.com`;
      for (let n = 2; usedDomains.has(domain); n++) domain = domain.replace(/\d*\.com$/, `${n}.com`);
      usedDomains.add(domain);
      const domains = rng.chance(0.15) ? [domain, domain.replace(/\.com$/, '.io')] : [domain];
      const record = this.add('company', rng.uuid(), {
        name,
        domains: { items: domains },
        description: rng.chance(0.5) ? `${name}: ${industry === 'Other' ? 'diversified services' : industry.toLowerCase()} customer.` : null,
        employee_count: rng.chance(0.9) ? rng.int(5, 20_000) : null,
        industry,
      });
      companies.push({ record, domain, people: [], deals: [] });
    }

    const anchorPeople = Math.min(ANCHOR_PEOPLE, Math.floor(counts.person * 0.4));
    for (let i = 0; i < counts.person; i++) {
      const company = i < anchorPeople ? companies[0]! : rng.pick(companies);
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const roll = rng.next();
      const local = `${first}.${last}`.toLowerCase();
      const email =
        roll < 0.86
          ? this.uniqueEmail(local, company.domain)
          : roll < 0.93
            ? this.uniqueEmail(local, rng.pick(PERSONAL_DOMAINS))
            : null;
      const record = this.add('person', rng.uuid(), {
        name: { first_name: first, last_name: last, full_name: `${first} ${last}` },
        email_addresses: email ? { items: [email] } : null,
        phone_numbers: rng.chance(0.6) ? { items: [`+1 555-${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`] } : null,
        job_title: rng.chance(0.9) ? rng.pick(JOB_TITLES) : null,
        company_id: company.record.id,
        description: rng.chance(0.2) ? `Met at ${rng.pick(['a conference', 'a webinar', 'a partner dinner', 'the user group'])}.` : null,
      });
      company.people.push(record);
    }

    const dealObject = this.store.registry.require('deal');
    const dealPeople = dealObject.fields.get('people')!;
    const deals: Array<{ record: StoredRecord; company: (typeof companies)[number] }> = [];
    const usedDealNames = new Set<string>();
    for (let i = 0; i < counts.deal; i++) {
      const company = i === 0 ? companies[0]! : rng.pick(companies);
      const closeMs = EPOCH + Math.floor(rng.next() * 720 * DAY);
      const quarter = `Q${Math.floor(new Date(closeMs).getUTCMonth() / 3) + 1} ${new Date(closeMs).getUTCFullYear()}`;
      let name = `${company.record.attrs.name as string} ${rng.pick(DEAL_PRODUCTS)} ${quarter}`;
      for (let n = 2; usedDealNames.has(name); n++) name = `${name.replace(/ #\d+$/, '')} #${n}`;
      usedDealNames.add(name);
      const record = this.add('deal', rng.uuid(), {
        name,
        amount: rng.chance(0.94) ? rng.int(20, 2500) * 100 : null,
        stage: rng.pick(DEAL_STAGES),
        close_date: rng.chance(0.9) ? isoDate(closeMs) : null,
        company_id: company.record.id,
        owner_id: rng.pick(this.userIds),
        description: rng.chance(0.3) ? `Opportunity with ${company.record.attrs.name as string}.` : null,
      });
      const pool = company.people.length > 0 ? company.people : companies[0]!.people;
      const wanted = rng.int(1, 3);
      for (let k = 0; k < wanted && pool.length > 0; k++) {
        store.addLink(dealObject, dealPeople, record.id, rng.pick(pool).id);
      }
      company.deals.push(record);
      deals.push({ record, company });
    }

    const meetingObject = this.store.registry.require('meeting');
    const meetingPeople = meetingObject.fields.get('people')!;
    const meetings: StoredRecord[] = [];
    const meetingsByCompany = new Map<string, StoredRecord[]>();
    for (let i = 0; i < counts.meeting; i++) {
      const company = rng.pick(companies);
      const startMs = EPOCH + Math.floor(rng.next() * 600 * DAY / 1_800_000) * 1_800_000;
      const allDay = rng.chance(0.05);
      const organizerIndex = rng.int(0, this.userIds.length - 1);
      const organizer = this.store.get('user', this.userIds[organizerIndex]!)!;
      const attendees: StoredRecord[] = [];
      const wanted = rng.int(1, 4);
      for (let k = 0; k < wanted && company.people.length > 0; k++) {
        const person = rng.pick(company.people);
        if (!attendees.includes(person)) attendees.push(person);
      }
      const organizerName = organizer.attrs.name as { full_name: string };
      const participants = [
        { email: organizer.attrs.email, name: organizerName.full_name, status: 'yes', organizer: true, phone_number: null },
        ...attendees.map((person) => ({
          email: (person.attrs.email_addresses as { items: string[] } | undefined)?.items[0] ?? `guest${rng.int(1, 999)}@${company.domain}`,
          name: (person.attrs.name as { full_name: string }).full_name,
          status: rng.pick(['yes', 'yes', 'maybe', 'no']),
          organizer: false,
          phone_number: null,
        })),
      ];
      const record = this.add('meeting', rng.uuid(), {
        title: `${rng.pick(MEETING_TITLES)}: ${company.record.attrs.name as string}`,
        start: iso(startMs),
        end: iso(startMs + (allDay ? DAY : rng.pick([30, 45, 60]) * 60_000)),
        all_day: allDay,
        visibility: 'default',
        event_id: rng.chance(0.2) ? `adhoc-${rng.uuid()}` : `evt_${rng.uuid().replace(/-/g, '').slice(0, 20)}`,
        participants: { items: participants },
      });
      for (const person of attendees) store.addLink(meetingObject, meetingPeople, record.id, person.id);
      meetings.push(record);
      const ofCompany = meetingsByCompany.get(company.record.id);
      if (ofCompany) ofCompany.push(record);
      else meetingsByCompany.set(company.record.id, [record]);
    }

    for (let i = 0; i < counts.task; i++) {
      const deal = rng.chance(0.55) && deals.length > 0 ? rng.pick(deals) : undefined;
      const company = deal?.company ?? rng.pick(companies);
      const person = company.people.length > 0 && rng.chance(0.75) ? rng.pick(company.people) : undefined;
      const subject = person ? (person.attrs.name as { full_name: string }).full_name : (company.record.attrs.name as string);
      const title = `${rng.pick(TASK_TITLES)} ${subject}`;
      const blocks = rng.chance(0.5)
        ? [{ type: 'paragraph', content: [{ type: 'text', text: `Notes for: ${title}.` }] }]
        : [{ type: 'paragraph', children: [{ text: `Notes for: ${title}.` }] }];
      const dueMs = EPOCH + Math.floor(rng.next() * 620 * DAY);
      const companyMeetings = meetingsByCompany.get(company.record.id);
      this.add('task', rng.uuid(), {
        title,
        description: rng.chance(0.6) ? { text: blocks } : null,
        status: rng.pick(TASK_STATUSES),
        priority: rng.chance(0.9) ? rng.pick(TASK_PRIORITIES) : null,
        due_date: rng.chance(0.85) ? isoDate(dueMs) : null,
        assignee_id: rng.chance(0.9) ? rng.pick(this.userIds) : null,
        person_id: person?.id ?? null,
        company_id: company.record.id,
        deal_id: deal?.record.id ?? null,
        meeting_id: companyMeetings && rng.chance(0.4) ? rng.pick(companyMeetings).id : null,
      });
    }

    for (let i = 0; i < counts.c_sales_order; i++) {
      const company = rng.pick(companies);
      const deal = company.deals.length > 0 && rng.chance(0.7) ? rng.pick(company.deals) : undefined;
      this.add('c_sales_order', rng.uuid(), {
        name: `SO-${String(10001 + i)}`,
        amount: rng.int(500, 400_000) + rng.int(0, 99) / 100,
        status: rng.pick(ORDER_STATUSES),
        ordered_on: isoDate(EPOCH + Math.floor(rng.next() * 540 * DAY)),
        company_id: company.record.id,
        deal_id: deal?.id ?? null,
      });
    }

    return { actorId: this.userIds[0]!, counts };
  }
}

/** Fills an empty store with the demo workspace, deterministically from `seed`. */
export function seedWorkspace(store: Store, seed: number, records: number, objectCounts: Partial<SeedCounts> = {}): SeedResult {
  return new Generator(store, seed).run({ ...seedCounts(records), ...objectCounts });
}
