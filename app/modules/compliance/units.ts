/**
 * Remediation units the rules count and the funding module prices (unit cost × quantity from
 * the ICB price list). The key is stable; the label is what a page shows.
 */
export const UNIT_KINDS = {
  desktop_replacement: "Replace a desktop or thin client",
  laptop_replacement: "Replace a laptop or tablet",
  device_replacement: "Replace another device (server, printer, peripheral)",
  warranty_extension: "Warranty extension or support contract",
  os_upgrade: "Operating system upgrade",
  esu_licence: "Extended Security Updates licence",
  laptop_purchase: "Additional managed laptop",
  smartcard_reader: "Smartcard reader",
  smartcard_client_deployment: "Smartcard Connect deployment",
  device_management_enrolment: "Enrol a device in central management",
  device_encryption: "Encrypt a device",
  device_patching: "Bring a device's patches up to date",
  antivirus_fix: "Fix anti-virus on a device",
  asset_record_update: "Complete a device's register entry",
  network_device_replacement: "Network switch or firewall",
  telephony_migration: "Move to cloud telephony",
  telephony_feature_upgrade: "Telephony feature or licence upgrade",
  telephony_capacity_upgrade: "Extra simultaneous call capacity",
  analogue_line_migration: "Move an analogue line to digital",
  number_change: "Change to a local-rate number",
  hscn_connection: "HSCN connection",
  bandwidth_upgrade: "Bandwidth upgrade",
  resilient_line: "Resilient (second) line",
  wifi_access_point: "Wi-Fi access point",
  comms_room_works: "Comms room works",
  ups_installation: "Uninterruptible power supply",
  digital_service_setup: "Set up a digital service",
  clinical_system_procurement: "Assured clinical system",
  lloyd_george_digitisation: "Digitise a Lloyd George record",
  lloyd_george_destruction: "Securely destroy a scanned Lloyd George envelope",
  digital_messaging_setup: "Set up digital patient messaging (NHS App, SMS or email)",
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;
