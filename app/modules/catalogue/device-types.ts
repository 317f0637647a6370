/** The kinds of device the register records (shared by the devices register and the rules that judge it). */
export const DEVICE_TYPES = {
  desktop: "Desktop",
  laptop: "Laptop",
  thin_client: "Thin client",
  tablet: "Tablet",
  monitor: "Monitor",
  printer: "Printer",
  scanner: "Scanner",
  smartcard_reader: "Smartcard reader",
  network_switch: "Network switch",
  firewall: "Firewall",
  wifi_access_point: "Wi-Fi access point",
  server: "Server",
  phone_handset: "Phone handset",
  mobile_phone: "Mobile phone",
  other: "Other",
} as const;
export type DeviceType = keyof typeof DEVICE_TYPES;

/** Device types that run an operating system we track for support. */
export const OS_DEVICE_TYPES: DeviceType[] = ["desktop", "laptop", "thin_client", "tablet", "server"];
