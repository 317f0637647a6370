import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessmentDomainsIn } from "~/modules/assessment/schema";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";
import { baseUrl, launch, signIn } from "./browser";

// The seeded ICB has not chosen a framework version: its practices are asked the default version's requirements.
const ASSESSMENT_DOMAINS = assessmentDomainsIn(DEFAULT_FRAMEWORK_VERSION);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const CYCLE = "Annual review 2026/27 (browser test)";
const PM = "pm.f84003@demo.gp-estate.test";
const LEAD = "icb.lead@demo.gp-estate.test";
const PARTNER = "delivery.partner@demo.gp-estate.test";
// Barking Medical Group: no other browser test gives it an assessment.
const PM_BARKING = "pm.f82018@demo.gp-estate.test";

/** A fresh signed-in page per person, so two people's sessions never mix. */
async function as(email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

const mainText = (page: Page) => page.locator("main").innerText();

describe("self-assessment", () => {
  it("an ICB lead opens a cycle, a practice manager completes and submits it, and the lead returns one answer then verifies it", async () => {
    // The ICB lead opens a cycle for Lower Clapton.
    const lead = await as(LEAD);
    await lead.goto(`${baseUrl()}/icbs/QMF/assessments`);
    await lead.getByLabel("Name").fill(CYCLE);
    await lead.getByLabel("Due date").fill("31/03/2099");
    await lead.getByLabel("A list of practices").check();
    await lead.getByLabel("Practice ODS codes").fill("F84003");
    await lead.getByRole("button", { name: "Open the cycle" }).click();
    await lead.getByRole("heading", { level: 1, name: CYCLE }).waitFor();
    expect(await lead.locator("table").first().innerText()).toMatch(
      /Not started\s+In progress\s+Submitted\s+Returned\s+Verified\s+Overdue\s+1\s+0\s+0\s+0\s+0\s+0/,
    );

    // The practice manager finds it from the practice's navigation and answers section by section.
    const pm = await as(PM);
    await pm.goto(`${baseUrl()}/practices/F84003`);
    await pm.getByRole("navigation", { name: "Practice sections" }).getByRole("link", { name: "Assessment" }).click();
    await pm.getByRole("heading", { level: 1, name: "Self-assessment" }).waitFor();
    expect(await mainText(pm)).toContain(CYCLE);
    const tasks = pm.locator(".nhsuk-task-list");
    expect(await tasks.locator(".nhsuk-task-list__item").count()).toBe(ASSESSMENT_DOMAINS.length);
    await tasks.getByRole("link", { name: ASSESSMENT_DOMAINS[0].label }).click();
    await pm.waitForURL(new RegExp(`/assessment/${ASSESSMENT_DOMAINS[0].key}$`));

    // A bad evidence link is caught, with the message next to the field and the choices kept.
    const first = ASSESSMENT_DOMAINS[0].requirements[0].id;
    await pm.locator(`#requirement-${first}`).getByLabel("Met", { exact: true }).check();
    await pm.locator(`#requirement-${first}`).getByLabel("Link to the evidence (optional)").fill("http://intranet/phones");
    await pm.getByRole("button", { name: "Save and continue" }).click();
    await pm.getByText("There is a problem").waitFor();
    expect(await pm.locator(".nhsuk-error-summary").innerText()).toContain(
      `The evidence link for ${first} must be a web address starting with https://`,
    );
    await pm.locator(`#requirement-${first}`).getByLabel("Link to the evidence (optional)").fill("https://intranet.example.nhs.uk/phones");
    await pm.locator(`#requirement-${first}`).getByLabel("Evidence note (optional)").fill("Signed contract held by the practice manager.");

    for (const [n, domain] of ASSESSMENT_DOMAINS.entries()) {
      if (n > 0) await pm.waitForURL(new RegExp(`/assessment/${domain.key}$`));
      for (const r of domain.requirements) await pm.locator(`#requirement-${r.id}`).getByLabel("Met", { exact: true }).check();
      await pm.getByRole("button", { name: "Save and continue" }).click();
    }
    await pm.getByRole("heading", { level: 1, name: "Check your answers before submitting" }).waitFor();
    expect(await mainText(pm)).toContain("Signed contract held by the practice manager.");
    await pm.getByRole("button", { name: "Submit assessment" }).click();
    await pm.getByRole("heading", { level: 1, name: "Self-assessment" }).waitFor();
    expect(await pm.locator(".nhsuk-summary-list").innerText()).toContain("Submitted");

    // The ICB lead finds it in the queue, returns one answer with a comment and verifies the rest.
    await lead.goto(`${baseUrl()}/icbs/QMF/assessments`);
    const queue = lead.locator("table").first();
    expect(await queue.innerText()).toContain("F84003");
    await queue.getByRole("link", { name: /Review/ }).click();
    await lead.waitForURL(/\/assessments\/\d+\/review$/);
    const bcp = lead.locator("#answer-BCP-01");
    await bcp.getByLabel("Return to the practice").check();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await lead.getByText("There is a problem").waitFor();
    expect(await lead.locator(".nhsuk-error-summary").innerText()).toContain("Say what the practice needs to change");
    await bcp.getByLabel("Comment to the practice").fill("Please give the date the plan was last tested.");
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await lead.getByText("1 decision saved.").waitFor();
    await lead.getByRole("button", { name: "Verify all remaining answers" }).click();
    await lead.getByText(/answers verified\. Every answer has been reviewed/).waitFor();

    // The practice sees the returned answer, changes it and resubmits.
    await pm.goto(`${baseUrl()}/practices/F84003/assessment`);
    expect(await mainText(pm)).toContain("Changes needed");
    expect(await mainText(pm)).toContain("Please give the date the plan was last tested.");
    await pm.locator(".nhsuk-task-list").getByRole("link", { name: "Business continuity" }).click();
    await pm.waitForURL(/\/assessment\/business_continuity$/);
    const returned = pm.locator("#requirement-BCP-01");
    expect(await returned.innerText()).toContain("The ICB returned this answer");
    await returned.getByLabel("Evidence note (optional)").fill("Plan last tested on 1 October 2026.");
    await pm.getByRole("button", { name: "Save and continue" }).click();
    // Business continuity is the practice's last section: commissioning is the ICB's to answer (issue 17).
    await pm.waitForURL(/\/assessment\/submit$/);
    await pm.getByRole("button", { name: "Submit assessment" }).click();
    await pm.waitForURL(/\/practices\/F84003\/assessment$/);

    // The lead verifies the changed answer, which completes the assessment.
    await lead.reload();
    expect(await lead.locator("#answer-BCP-01").innerText()).toContain("Plan last tested on 1 October 2026.");
    await lead.locator("#answer-BCP-01").getByLabel("Verify", { exact: true }).check();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await lead.getByText("Every answer is now verified, so the assessment is verified.").waitFor();

    // The practice sees the outcome, and the cycle's progress counts it as verified.
    await pm.reload();
    expect(await pm.locator(".nhsuk-summary-list").innerText()).toContain("Verified");
    expect(await mainText(pm)).toMatch(/The ICB verified every answer on/);
    await lead.goto(`${baseUrl()}/icbs/QMF/assessments`);
    await lead.getByRole("link", { name: CYCLE }).click();
    await lead.getByRole("heading", { level: 1, name: CYCLE }).waitFor();
    expect(await lead.locator("table").first().innerText()).toMatch(/Overdue\s+0\s+0\s+0\s+0\s+1\s+0/);
    await pm.context().close();
    await lead.context().close();
  });
});

describe("the delivery partner's duties", () => {
  it("the practice starts a self-assessment; the delivery partner answers its service-desk duty (SUP-01) there, and not the ICB's", async () => {
    const pm = await as(PM_BARKING);
    await pm.goto(`${baseUrl()}/practices/F82018/assessment`);
    await pm.getByRole("button", { name: "Start a self-assessment" }).click();
    await pm.waitForURL(/\/practices\/F82018\/assessment\?started=1$/);
    // The practice is not asked the partner's duty.
    expect(await pm.locator(".nhsuk-task-list").innerText()).not.toContain("Support and service desk");
    await pm.context().close();

    // The partner reaches the duties from the practice's assessment page, by links (each page checked with axe as it arrives).
    const partner = await as(PARTNER);
    await partner.goto(`${baseUrl()}/practices/F82018/assessment`);
    await partner.getByRole("link", { name: "Answer your duties for this practice" }).click();
    await partner.getByRole("heading", { level: 1, name: "Duties for this practice" }).waitFor();
    // The ICB's own duty is shown, not asked.
    expect(await partner.locator("#requirement-SUP-02").getByLabel("Met", { exact: true }).count()).toBe(0);
    const sup1 = partner.locator("#requirement-SUP-01");
    await sup1.getByLabel("Met", { exact: true }).check();
    await sup1.getByLabel("Evidence note (optional)").fill("Service desk accredited to ISO 20000; open 08:00 to 18:30 on weekdays.");
    await partner.getByRole("button", { name: "Save answers" }).click();
    // The form posts back to the same address: the session's one-time message confirms the save.
    await partner.getByText("Your answers have been saved.").waitFor();
    // Saved: shown again as answered, with the note.
    const saved = partner.locator("#requirement-SUP-01");
    expect(await saved.getByLabel("Met", { exact: true }).isChecked()).toBe(true);
    expect(await saved.getByLabel("Evidence note (optional)").inputValue()).toContain("Service desk accredited to ISO 20000");
    await partner.context().close();

    // The practice sees the partner's answer under "Support and service desk".
    const pmAgain = await as(PM_BARKING);
    await pmAgain.goto(`${baseUrl()}/practices/F82018/assessment`);
    expect(await pmAgain.locator("tr", { hasText: "SUP-01" }).innerText()).toMatch(/Answered by the GP IT delivery partner:\s*Met\b/);
    await pmAgain.context().close();
  });
});
