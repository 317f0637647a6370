import { Form, useNavigation } from "@remix-run/react";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextareaField, TextField } from "~/components/fields";
import { ODS_FIELDS } from "~/modules/device-sync/map";
import { ConnectionFormSchema } from "~/modules/device-sync/schema";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

interface Props {
  title: string;
  submitLabel: string;
  actionData: FormFailure | { ok: true } | undefined | null;
  defaultValues: Record<string, string>;
  /** New connections choose their ICB; an existing one keeps it. */
  icbs: { code: string; name: string }[] | null;
  /** Admins only: where the connection signs in and reads from. */
  showUrls: boolean;
  hasSecret: boolean;
  /** The server cannot encrypt secrets (no GRAPH_SECRET_KEY): say so before anyone types one. */
  noKey: boolean;
}

/** Add or change a Microsoft Graph (Intune) connection and its practice rules. */
export function GraphConnectionForm({ title, submitLabel, actionData, defaultValues, icbs, showUrls, hasSecret, noKey }: Props) {
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(ConnectionFormSchema, actionData, defaultValues);
  const r = (name: string) => ({ ...form.register(name), defaultValue: defaultValues[name] ?? "" });
  return (
    <>
      <ErrorSummary errors={errors} formError={formError} />
      <h1>{title}</h1>
      {noKey ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>No key to encrypt secrets
            </span>
          </h2>
          <p>
            This server has no GRAPH_SECRET_KEY, so it cannot store a client secret. Ask your administrator to set one (64 hex characters)
            and restart the service.
          </p>
        </div>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" {...form.register("version")} defaultValue={defaultValues.version ?? ""} />
        <TextField label="Name" hint="For example, NEL practices' Intune" width={30} error={errors.name} {...r("name")} />
        {icbs ? (
          <SelectField
            label="ICB"
            hint="The practices this connection may bring devices in for"
            options={[{ value: "", label: "Select an ICB" }, ...icbs.map((i) => ({ value: i.code, label: i.name }))]}
            error={errors.icb_code}
            {...r("icb_code")}
          />
        ) : (
          <input type="hidden" {...form.register("icb_code")} defaultValue={defaultValues.icb_code ?? ""} />
        )}
        <h2 className="nhsuk-heading-m">App registration</h2>
        <p>
          From the app registration in Microsoft Entra ID. It needs the application permission DeviceManagementManagedDevices.Read.All with
          admin consent, and GroupMember.Read.All and Device.Read.All if you place devices by Entra group.
        </p>
        <TextField
          label="Directory (tenant) ID"
          width={30}
          autoComplete="off"
          spellCheck={false}
          error={errors.tenant_id}
          {...r("tenant_id")}
        />
        <TextField
          label="Application (client) ID"
          width={30}
          autoComplete="off"
          spellCheck={false}
          error={errors.client_id}
          {...r("client_id")}
        />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="new-password"
          hint={
            hasSecret
              ? "A secret is stored (encrypted). Leave this blank to keep it, or enter a new one to replace it."
              : "The secret's value (not its ID). It is stored encrypted and never shown again. Certificates are not supported yet."
          }
          width={30}
          error={errors.client_secret}
          {...form.register("client_secret")}
          defaultValue=""
        />
        {showUrls ? (
          <>
            <TextField
              label="Sign-in address (admins only)"
              hint="Leave blank for https://login.microsoftonline.com. A local test server may use http://127.0.0.1:PORT."
              error={errors.authority_url}
              {...r("authority_url")}
            />
            <TextField
              label="Microsoft Graph address (admins only)"
              hint="Leave blank for https://graph.microsoft.com"
              error={errors.graph_url}
              {...r("graph_url")}
            />
          </>
        ) : null}
        <h2 className="nhsuk-heading-m">Which practice each device is at</h2>
        <p>
          A device is placed by the longest device-name prefix that matches, then by an Entra group it is in, then by an ODS code written in
          the property you choose. A device no rule places is listed as unmapped, never guessed.
        </p>
        <TextareaField
          label="Device name prefixes"
          hint="One a line: the prefix, a comma, the practice ODS code. For example, F84003-, F84003"
          rows={5}
          spellCheck={false}
          error={errors.prefix_rules}
          {...r("prefix_rules")}
        />
        <TextareaField
          label="Entra groups"
          hint="One a line: the group's object ID, a comma, the practice ODS code"
          rows={3}
          spellCheck={false}
          error={errors.group_rules}
          {...r("group_rules")}
        />
        <SelectField
          label="Property holding an ODS code"
          hint="Optional: for devices the rules above do not place"
          options={[
            { value: "", label: "None" },
            ...Object.entries(ODS_FIELDS).map(([value, label]) => ({ value, label: `${label} (${value})` })),
          ]}
          error={errors.ods_field}
          {...r("ods_field")}
        />
        <h2 className="nhsuk-heading-m">Schedule</h2>
        <TextField
          label="Sync every (hours)"
          hint="For example, 24 for daily. Leave blank to sync only when you choose Sync now."
          width={10}
          inputMode="numeric"
          error={errors.sync_every_hours}
          {...r("sync_every_hours")}
        />
        <TextField
          label="Flag devices missing from Intune after (days)"
          hint="A device Intune stops reporting is flagged after this many days. It is never deleted."
          width={10}
          inputMode="numeric"
          error={errors.missing_after_days}
          {...r("missing_after_days")}
        />
        <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
