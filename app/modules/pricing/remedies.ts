/**
 * Why some requirements' gaps carry no priced remedy: the fix is a decision, a change in how the
 * practice works or a record to complete, not something bought by the unit. The register shows
 * this instead of a bare "No estimate", and these gaps are outside the estimate coverage figure
 * (which counts gaps whose remedy is a priced unit).
 */
export const NO_PRICED_REMEDY: Readonly<Record<string, string>> = {
  "DEV-01":
    "who funds the practice's computers is a funding decision for the ICB, not a purchase; replacing the devices is costed under DEV-05 and DEV-02 when they are due",
  "TEL-03": "moving to a Better Purchasing Framework supplier happens at the contract's renewal; the cost of the move is TEL-02's",
  "TEL-10": "sharing call data with NHS England is a setting with the telephony supplier, at no cost",
  // Judged from the DSPT and Cyber Essentials feeds: what fails is a status or a certificate.
  "SEC-01":
    "publishing the DSPT assessment at Standards Met is the practice's own work, with nothing to buy; equipment it finds wanting is costed under the device and infrastructure requirements",
  "SEC-05":
    "a Cyber Essentials Plus assessment is bought from a certification body and the price list has no unit for it; unsupported computers that would fail it are costed under DEV-02",
  "PAP-03": "each new paper envelope needs explaining; there is nothing to buy",
  "PAP-04":
    "moving more letters to digital messages is a change in how the practice works; set-up is costed only where no digital messages are sent at all",
  "PAP-05": "buying recycled copier paper instead costs about the same",
  "PAP-06": "the missing months of paper and post figures need recording in the paper register",
  "PREM-03": "the Lloyd George record counts are not recorded, so the digitisation that would free the space cannot be counted",
  "INF-05": "how many computers the branch needs is not recorded",
  "INF-02": "the bandwidth each site needs depends on its users, which are not recorded",
};

export const noPricedRemedyWhy = (requirementId: string) =>
  NO_PRICED_REMEDY[requirementId] ?? "the requirement names no work that the price list covers";
