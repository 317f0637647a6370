import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Dates are `YYYY-MM-DD` strings on both drivers (see db/connect.ts type parsers). */
type DateStr = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;

export interface RegionTable { code: string; name: string | null }
export interface IcbTable { code: string; name: string | null; region_code: string | null }
export interface SubIcbTable { code: string; name: string | null; icb_code: string | null }
export interface PcnTable {
  code: string;
  name: string;
  sub_icb_code: string | null;
  open_date: DateStr | null;
  close_date: DateStr | null;
  address: string | null;
  postcode: string | null;
}
export interface PracticeTable {
  ods_code: string;
  name: string;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  status: string;
  open_date: DateStr | null;
  close_date: DateStr | null;
  prescribing_setting: number | null;
  country: string;
  region_code: string | null;
  icb_code: string | null;
  sub_icb_code: string | null;
  pcn_code: string | null;
  clinical_system: string | null;
  clinical_system_detail: string | null;
  clinical_system_source: string | null;
  list_size: number | null;
  list_size_date: DateStr | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PracticePcnMembershipTable {
  id: Generated<number>;
  practice_code: string;
  pcn_code: string;
  start_date: DateStr;
  end_date: DateStr | null;
}
export interface PracticeListSizeTable { practice_code: string; extract_date: DateStr; patients: number }
export interface SiteTable {
  code: string;
  practice_code: string;
  kind: "main" | "branch";
  name: string;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  open_date: DateStr | null;
  close_date: DateStr | null;
}
export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  is_active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Role = "admin" | "icb_lead" | "delivery_partner" | "practice_manager";
export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  icb_code: string | null;
  practice_code: string | null;
  created_at: Generated<Date>;
}
export interface SessionTable { id: string; user_id: number; expires_at: Timestamp; created_at: Generated<Date> }
export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Generated<Date>;
}
export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: Generated<Date>;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json | null;
  after: Json | null;
}
export interface ImportRunTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  user_id: number | null;
  counts: Json;
  started_at: Timestamp;
  finished_at: Generated<Date>;
}

export interface Database {
  region: RegionTable;
  icb: IcbTable;
  sub_icb: SubIcbTable;
  pcn: PcnTable;
  practice: PracticeTable;
  practice_pcn_membership: PracticePcnMembershipTable;
  practice_list_size: PracticeListSizeTable;
  site: SiteTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  session: SessionTable;
  login_attempt: LoginAttemptTable;
  audit_event: AuditEventTable;
  import_run: ImportRunTable;
}

export type Practice = Selectable<PracticeTable>;
export type NewPractice = Insertable<PracticeTable>;
export type PracticeUpdate = Updateable<PracticeTable>;
export type Pcn = Selectable<PcnTable>;
export type Site = Selectable<SiteTable>;
export type AppUser = Selectable<AppUserTable>;
export type Membership = Selectable<MembershipTable>;
