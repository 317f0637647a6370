import { idParam } from "~/utils/params";

/** A device id from the URL; anything but a positive whole number that fits an integer column is a 404. */
export const deviceIdFrom = (raw: string | undefined): number => idParam(raw, "device");
