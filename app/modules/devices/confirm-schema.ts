import { z } from "zod";
import { optionalDate, versionField } from "~/utils/zod-fields";

/** The version the edit form was opened at; posted with every device edit. */
export const DeviceVersionSchema = z.object({ version: versionField });

/** Retiring a device: the date it left service, and the version the page showed. */
export const RetireDeviceSchema = z.object({
  disposed_date: optionalDate("Disposal date").refine((v) => v !== null, "Enter the date the device was disposed of"),
  version: versionField,
});
export type RetireDeviceInput = z.infer<typeof RetireDeviceSchema>;
