// Render Questionnaires in NLM's LHC-Forms in headless Chromium and give back what it makes of answers.
//
//   node fill.mjs < jobs.json > results.json
//
// jobs.json: [{"questionnaire": {...}, "responses": [QuestionnaireResponse, ...]}, ...]
// For each response, LHC-Forms renders the Questionnaire with the response's answers filled
// in, applies its own enableWhen and calculatedExpression, and this prints
// {"version", "errors", "results": [[{"response": its QuestionnaireResponse, "enabled": [linkId, ...]},
// ...], ...], "offered": [{linkId: {"type", "codes", "repeats", "required"}, ...], ...],
// "by_hand": [[{"response", "enabled", "answered": [linkId, ...]}, ...], ...]}.
// A job's "by_hand" plans are answered as a patient would, in the rendered form: in order,
// each step [{"linkId", "pick": option index} or {"linkId", "text"}] is taken only if
// its question is on screen by then (clicking the option in LHC-Forms' list, or typing).
// One browser serves every form. CHROMIUM names the browser (default /usr/bin/chromium).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const jobs = JSON.parse(readFileSync(0, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(here, "page.html")).href);
  await page.waitForFunction(() => window.LForms && window.LForms.Util && window.LForms.FHIR);
  const version = await page.evaluate(() => LForms.lformsVersion);
  const results = [];
  const offered = [];
  const byHandResults = [];
  for (const job of jobs) {
    // What LHC-Forms offers for each question, before anything is answered.
    offered.push(
      await page.evaluate(async (questionnaire) => {
        const element = document.getElementById("form");
        await LForms.Util.addFormToPage(questionnaire, element, { fhirVersion: "R4" });
        const out = {};
        const walk = (items) => {
          for (const item of items || []) {
            const cardinality = item.answerCardinality || {};
            out[item.linkId] = {
              type: item.dataType,
              codes: (item.answers || []).map((answer) => answer.code),
              repeats: cardinality.max === "*",
              required: cardinality.min === "1",
            };
            walk(item.items);
          }
        };
        walk(LForms.Util.getUserData(element, false, false, false).itemsData);
        return out;
      }, job.questionnaire),
    );
    const perForm = [];
    for (const response of job.responses) {
      perForm.push(
        await page.evaluate(
          async ({ questionnaire, response }) => {
            const element = document.getElementById("form");
            await LForms.Util.addFormToPage(questionnaire, element, {
              fhirVersion: "R4",
              questionnaireResponse: response,
            });
            // Let the form settle: calculated values and skip logic run after it is ready.
            await new Promise((resolve) => setTimeout(resolve, 50));
            const filled = LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", element);
            const enabled = [];
            const walk = (items) => {
              for (const item of items || []) {
                enabled.push(item.linkId);
                walk(item.items);
              }
            };
            // getUserData(noFormDefData, noEmptyValue, noDisabledItem): every item shown.
            walk(LForms.Util.getUserData(element, false, false, true).itemsData);
            return { response: filled, enabled };
          },
          { questionnaire: job.questionnaire, response },
        ),
      );
    }
    results.push(perForm);
    const handResults = [];
    for (const plan of job.by_hand || []) handResults.push(await byHand(page, job.questionnaire, plan));
    byHandResults.push(handResults);
  }
  process.stdout.write(JSON.stringify({ version, errors, results, offered, by_hand: byHandResults }));
} finally {
  await browser.close();
}

async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

async function byHand(page, questionnaire, plan) {
  await page.evaluate(async (questionnaire) => {
    await LForms.Util.addFormToPage(questionnaire, document.getElementById("form"), { fhirVersion: "R4" });
  }, questionnaire);
  const answered = [];
  for (const step of plan) {
    await settle(page);
    const input = page.locator(`[id='${step.linkId}/1']`);
    if ((await input.count()) === 0 || !(await input.isVisible())) continue;
    if ("pick" in step) {
      await input.click();
      const options = page.locator("#completionOptions li:visible");
      await options.first().waitFor();
      await options.nth(step.pick).click();
    } else {
      await input.fill(step.text);
      await input.press("Tab");
    }
    answered.push(step.linkId);
  }
  await settle(page);
  return page.evaluate((answered) => {
    const element = document.getElementById("form");
    const enabled = [];
    const walk = (items) => {
      for (const item of items || []) {
        enabled.push(item.linkId);
        walk(item.items);
      }
    };
    walk(LForms.Util.getUserData(element, false, false, true).itemsData);
    const response = LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", element);
    return { response, enabled, answered };
  }, answered);
}
