import { assessmentDomainsIn } from "~/modules/assessment/schema";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";
import { expect, test } from "./fixtures";

// The seeded ICB has not chosen a framework version: its practices are asked the default version's requirements.
const ASSESSMENT_DOMAINS = assessmentDomainsIn(DEFAULT_FRAMEWORK_VERSION);

const CYCLE = "Annual review 2026/27 (browser test)";
const PARTNER = "delivery.partner@demo.gp-estate.test";
// Barking Medical Group: no other browser test gives it an assessment.
const PM_BARKING = "pm.f82018@demo.gp-estate.test";

/** What the page shows in its main part, as a reader sees it (innerText: no hidden text, cells apart). */
const VISIBLE = { useInnerText: true };

test.describe("self-assessment", () => {
  test("an ICB lead opens a cycle, a practice manager completes and submits it, and the lead returns one answer then verifies it", async ({
    icbLead: lead,
    practiceManager: pm,
  }) => {
    // The ICB lead opens a cycle for Lower Clapton.
    await lead.goto("/icbs/QMF/assessments");
    await lead.getByLabel("Name").fill(CYCLE);
    await lead.getByLabel("Due date").fill("31/03/2099");
    await lead.getByLabel("A list of practices").check();
    await lead.getByLabel("Practice ODS codes").fill("F84003");
    await lead.getByRole("button", { name: "Open the cycle" }).click();
    await expect(lead.getByRole("heading", { level: 1, name: CYCLE })).toBeVisible();
    await expect(lead.locator("table").first()).toContainText(
      /Not started\s+In progress\s+Submitted\s+Returned\s+Verified\s+Overdue\s+1\s+0\s+0\s+0\s+0\s+0/,
      VISIBLE,
    );

    // The practice manager finds it from the practice's navigation and answers section by section.
    await pm.goto("/practices/F84003");
    await pm.getByRole("navigation", { name: "Practice sections" }).getByRole("link", { name: "Assessment" }).click();
    await expect(pm.getByRole("heading", { level: 1, name: "Self-assessment" })).toBeVisible();
    await expect(pm.locator("main")).toContainText(CYCLE, VISIBLE);
    const tasks = pm.locator(".nhsuk-task-list");
    await expect(tasks.locator(".nhsuk-task-list__item")).toHaveCount(ASSESSMENT_DOMAINS.length);
    await tasks.getByRole("link", { name: ASSESSMENT_DOMAINS[0].label }).click();
    await expect(pm).toHaveURL(new RegExp(`/assessment/${ASSESSMENT_DOMAINS[0].key}$`));

    // A bad evidence link is caught, with the message next to the field and the choices kept.
    const first = pm.locator(`#requirement-${ASSESSMENT_DOMAINS[0].requirements[0].id}`);
    await first.getByLabel("Met", { exact: true }).check();
    await first.getByLabel("Link to the evidence (optional)").fill("http://intranet/phones");
    await pm.getByRole("button", { name: "Save and continue" }).click();
    await expect(pm.getByText("There is a problem")).toBeVisible();
    await expect(pm.locator(".nhsuk-error-summary")).toContainText(
      `The evidence link for ${ASSESSMENT_DOMAINS[0].requirements[0].id} must be a web address starting with https://`,
      VISIBLE,
    );
    await expect(first.getByLabel("Met", { exact: true })).toBeChecked();
    await first.getByLabel("Link to the evidence (optional)").fill("https://intranet.example.nhs.uk/phones");
    await first.getByLabel("Evidence note (optional)").fill("Signed contract held by the practice manager.");

    for (const [n, domain] of ASSESSMENT_DOMAINS.entries()) {
      if (n > 0) await pm.waitForURL(new RegExp(`/assessment/${domain.key}$`));
      for (const r of domain.requirements) await pm.locator(`#requirement-${r.id}`).getByLabel("Met", { exact: true }).check();
      await pm.getByRole("button", { name: "Save and continue" }).click();
    }
    await expect(pm.getByRole("heading", { level: 1, name: "Check your answers before submitting" })).toBeVisible();
    await expect(pm.locator("main")).toContainText("Signed contract held by the practice manager.", VISIBLE);
    await pm.getByRole("button", { name: "Submit assessment" }).click();
    await expect(pm.getByRole("heading", { level: 1, name: "Self-assessment" })).toBeVisible();
    await expect(pm.locator(".nhsuk-summary-list")).toContainText("Submitted", VISIBLE);

    // The ICB lead finds it in the queue, returns one answer with a comment and verifies the rest.
    await lead.goto("/icbs/QMF/assessments");
    const queue = lead.locator("table").first();
    await expect(queue).toContainText("F84003", VISIBLE);
    await queue.getByRole("link", { name: /Review/ }).click();
    await expect(lead).toHaveURL(/\/assessments\/\d+\/review$/);
    const bcp = lead.locator("#answer-BCP-01");
    await bcp.getByLabel("Return to the practice").check();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await expect(lead.getByText("There is a problem")).toBeVisible();
    await expect(lead.locator(".nhsuk-error-summary")).toContainText("Say what the practice needs to change", VISIBLE);
    await bcp.getByLabel("Comment to the practice").fill("Please give the date the plan was last tested.");
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await expect(lead.getByText("1 decision saved.")).toBeVisible();
    await lead.getByRole("button", { name: "Verify all remaining answers" }).click();
    await expect(lead.getByText(/answers verified\. Every answer has been reviewed/)).toBeVisible();

    // The practice sees the returned answer, changes it and resubmits.
    await pm.goto("/practices/F84003/assessment");
    await expect(pm.locator("main")).toContainText("Changes needed", VISIBLE);
    await expect(pm.locator("main")).toContainText("Please give the date the plan was last tested.", VISIBLE);
    await pm.locator(".nhsuk-task-list").getByRole("link", { name: "Business continuity" }).click();
    await expect(pm).toHaveURL(/\/assessment\/business_continuity$/);
    const returned = pm.locator("#requirement-BCP-01");
    await expect(returned).toContainText("The ICB returned this answer", VISIBLE);
    await returned.getByLabel("Evidence note (optional)").fill("Plan last tested on 1 October 2026.");
    await pm.getByRole("button", { name: "Save and continue" }).click();
    // Business continuity is the practice's last section: commissioning is the ICB's to answer (issue 17).
    await expect(pm).toHaveURL(/\/assessment\/submit$/);
    await pm.getByRole("button", { name: "Submit assessment" }).click();
    await expect(pm).toHaveURL(/\/practices\/F84003\/assessment$/);

    // The lead verifies the changed answer, which completes the assessment.
    await lead.reload();
    await expect(lead.locator("#answer-BCP-01")).toContainText("Plan last tested on 1 October 2026.", VISIBLE);
    await lead.locator("#answer-BCP-01").getByLabel("Verify", { exact: true }).check();
    await lead.getByRole("button", { name: "Save decisions" }).click();
    await expect(lead.getByText("Every answer is now verified, so the assessment is verified.")).toBeVisible();

    // The practice sees the outcome, and the cycle's progress counts it as verified.
    await pm.reload();
    await expect(pm.locator(".nhsuk-summary-list")).toContainText("Verified", VISIBLE);
    await expect(pm.locator("main")).toContainText(/The ICB verified every answer on/, VISIBLE);
    await lead.goto("/icbs/QMF/assessments");
    await lead.getByRole("link", { name: CYCLE }).click();
    await expect(lead.getByRole("heading", { level: 1, name: CYCLE })).toBeVisible();
    await expect(lead.locator("table").first()).toContainText(/Overdue\s+0\s+0\s+0\s+0\s+1\s+0/, VISIBLE);
  });
});

test.describe("the delivery partner's duties", () => {
  test("the practice starts a self-assessment; the delivery partner answers its service-desk duty (SUP-01) there, and not the ICB's", async ({
    signedIn,
  }) => {
    const pm = await signedIn(PM_BARKING);
    await pm.goto("/practices/F82018/assessment");
    await pm.getByRole("button", { name: "Start a self-assessment" }).click();
    await expect(pm.getByText(/Self-assessment started\. It is due by /)).toBeVisible();
    await expect(pm).toHaveURL(/\/practices\/F82018\/assessment(\?|$)/);
    // The practice is not asked the partner's duty.
    await expect(pm.locator(".nhsuk-task-list")).toBeVisible();
    await expect(pm.locator(".nhsuk-task-list")).not.toContainText("Support and service desk", VISIBLE);
    await pm.context().close();

    // The partner reaches the duties from the practice's assessment page, by links (each page checked with axe as it arrives).
    const partner = await signedIn(PARTNER);
    await partner.goto("/practices/F82018/assessment");
    await partner.getByRole("link", { name: "Answer your duties for this practice" }).click();
    await expect(partner.getByRole("heading", { level: 1, name: "Duties for this practice" })).toBeVisible();
    // The ICB's own duty is shown, not asked.
    await expect(partner.locator("#requirement-SUP-02").getByLabel("Met", { exact: true })).toHaveCount(0);
    const sup1 = partner.locator("#requirement-SUP-01");
    await sup1.getByLabel("Met", { exact: true }).check();
    await sup1.getByLabel("Evidence note (optional)").fill("Service desk accredited to ISO 20000; open 08:00 to 18:30 on weekdays.");
    await partner.getByRole("button", { name: "Save answers" }).click();
    // The form posts back to the same address: the session's one-time message confirms the save.
    await expect(partner.getByText("Your answers have been saved.")).toBeVisible();
    // Saved: shown again as answered, with the note.
    const saved = partner.locator("#requirement-SUP-01");
    await expect(saved.getByLabel("Met", { exact: true })).toBeChecked();
    await expect(saved.getByLabel("Evidence note (optional)")).toHaveValue(/Service desk accredited to ISO 20000/);
    await partner.context().close();

    // The practice sees the partner's answer under "Support and service desk".
    const pmAgain = await signedIn(PM_BARKING);
    await pmAgain.goto("/practices/F82018/assessment");
    await expect(pmAgain.locator("tr", { hasText: "SUP-01" })).toContainText(/Answered by the GP IT delivery partner:\s*Met\b/, VISIBLE);
  });
});
