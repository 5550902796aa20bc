// Browser test of the release pages in headless Debian chromium (playwright-core). Driven by
// release_browser_test.py, which starts `mugai serve` + a downstream and sends the mails; this
// script gets { base_url, zip_id, xlsm_id, users: {name: password}, ppap_password } in MUGAI_TEST
// and prints one JSON line with what the pages showed.
"use strict";

const { chromium } = require("playwright-core");

const config = JSON.parse(process.env.MUGAI_TEST);

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function session(browser, user, locale, link) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(link);  // the link from the notice, before logging in
  await page.waitForSelector("#login");
  await page.fill("#login-user", user);
  await page.fill("#login-password", config.users[user]);
  await page.click("#login button[type=submit]");
  return page;
}

const text = async (page, selector) => (await page.textContent(selector)).replace(/\s+/g, " ").trim();

async function approve(page, id, comment) {
  await page.goto(config.base_url + "/#/approvals");
  const item = `.approval[data-id="${id}"]`;
  await page.waitForSelector(item);
  await page.fill(`${item} .approval-comment`, comment);
  await page.click(`${item} button.approve`);
  await page.waitForSelector(`${item} .approval-result:not(:empty)`);
  return text(page, `${item} .approval-result`);
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
  const seen = {};
  try {
    const zipLink = config.base_url + "/#/release/" + config.zip_id;
    const tanaka = await session(browser, "tanaka", "ja-JP", zipLink);
    await tanaka.waitForSelector("#release-item");
    seen.title = await text(tanaka, "#release-item h1");
    seen.sender = await text(tanaka, "#release-sender");
    seen.sha256 = await text(tanaka, "#release-sha256");
    seen.held = await text(tanaka, "#release-held");
    seen.stateBefore = await text(tanaka, "#release-state");
    await tanaka.click("#release-request");
    await tanaka.waitForSelector("#release-password-form");
    await tanaka.fill("#release-password", "wrong password");
    await tanaka.click("#release-password-form button[type=submit]");
    await tanaka.waitForSelector("#release-action-error:not([hidden])");
    seen.wrongPassword = await text(tanaka, "#release-action-error");
    await tanaka.fill("#release-password", config.ppap_password);
    await tanaka.click("#release-password-form button[type=submit]");
    await tanaka.waitForSelector("#release-opened");
    seen.opened = await text(tanaka, "#release-opened");
    seen.stateAfterPassword = await text(tanaka, "#release-state");
    seen.tanakaNav = await text(tanaka, "#nav");

    const sato = await session(browser, "sato", "en-US", config.base_url + "/#/approvals");
    await sato.waitForSelector("#approvals");
    seen.satoNav = await text(sato, "#nav");
    seen.zipApproval = await approve(sato, config.zip_id, "OK");

    // xlsm of a trusted partner: the original, approved by an administrator.
    await tanaka.goto(config.base_url + "/#/release/" + config.xlsm_id);
    await tanaka.waitForSelector("#release-request");
    seen.xlsmExplain = await text(tanaka, "#release-actions");
    await tanaka.click("#release-request");
    await tanaka.waitForSelector("#release-status");
    seen.xlsmStatus = await text(tanaka, "#release-status");
    await sato.goto(config.base_url + "/#/approvals");
    await sato.waitForSelector("#approvals-empty, .approval");
    seen.satoSeesXlsm = (await sato.$(`.approval[data-id="${config.xlsm_id}"]`)) !== null;
    const kanri = await session(browser, "kanri", "en-US", config.base_url + "/#/approvals");
    await kanri.waitForSelector("#approvals");
    seen.xlsmApproval = await approve(kanri, config.xlsm_id, "partner macro, checked");

    await tanaka.goto(zipLink);
    await tanaka.reload();
    await tanaka.waitForSelector("#release-status");
    seen.finalState = await text(tanaka, "#release-state");
    seen.finalStatus = await text(tanaka, "#release-status");
    seen.requestButtonAfter = (await tanaka.$("#release-request")) !== null;

    // Another recipient's item is not shown.
    const suzuki = await session(browser, "suzuki", "en-US", zipLink);
    await suzuki.waitForSelector("#release-error");
    seen.suzuki = await text(suzuki, "#release-error");
    seen.pageErrors = [...tanaka.errors, ...sato.errors, ...kanri.errors, ...suzuki.errors];
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
})().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
