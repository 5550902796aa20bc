// Browser test of the file-transfer page in headless Debian chromium (playwright-core).
// Driven by browser_test.py, which starts `mugai serve` and passes everything in MUGAI_TEST (JSON):
//   { upload_url, download_url, user, password, docm, exe, text, out_dir, ooxml: true|false }
// Prints one JSON line with what it saw and downloaded; browser_test.py checks the files.
"use strict";

const path = require("path");
const { chromium } = require("playwright-core");

const config = JSON.parse(process.env.MUGAI_TEST);

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function login(page, url) {
  await page.goto(url);
  await page.waitForSelector("#login");
  await page.fill("#login-user", config.user);
  await page.fill("#login-password", "wrong password");
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#login .error:not([hidden])");
  await page.fill("#login-password", config.password);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#nav a");
}

async function upload(page, file) {
  await page.goto(config.upload_url + "#/upload");
  await page.waitForSelector("#file-input", { state: "attached" });
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector("#result, #upload-error:not([hidden])");
  const result = await page.$("#result");
  expect(result, "no result for " + file + ": " + (await page.textContent("#upload-error")));
  return {
    verdict: await result.getAttribute("data-verdict"),
    verdictText: (await page.textContent("#verdict")).trim(),
    table: (await page.textContent("#report-table")).replace(/\s+/g, " "),
    rows: await page.$$eval("#report-table tbody tr", (rows) =>
      rows.map((row) => Array.from(row.cells).map((cell) => cell.textContent.trim()))),
    downloadLinkOnUploadSide: (await page.$("#download")) !== null,
    id: (await page.textContent("#transfer-id")).trim(),
    progressSeen: (await page.getAttribute("#progress", "data-seen")) === "1",
  };
}

async function drop(page, name, size) {
  await page.goto(config.upload_url + "#/upload");
  await page.waitForSelector("#drop");
  const dataTransfer = await page.evaluateHandle(([fileName, bytes]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["x".repeat(bytes)], fileName, { type: "text/plain" }));
    return transfer;
  }, [name, size]);
  await page.dispatchEvent("#drop", "drop", { dataTransfer });
  await page.waitForSelector("#result, #upload-error:not([hidden])");
  const result = await page.$("#result");
  return result
    ? { verdict: await result.getAttribute("data-verdict"), verdictText: (await page.textContent("#verdict")).trim() }
    : { error: (await page.textContent("#upload-error")).trim() };
}

async function download(page, id) {
  await page.goto(config.download_url + "#/transfers");
  await page.waitForSelector(`#transfers tr[data-id="${id}"]`);
  await page.click(`#transfers tr[data-id="${id}"] td a[href^="#/transfer/"]`);
  await page.waitForSelector("#download");
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const target = path.join(config.out_dir, file.suggestedFilename());
  await file.saveAs(target);
  return { name: file.suggestedFilename(), path: target };
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
  const seen = {};
  try {
    // Japanese browser: the Japanese UI.
    const ja = await browser.newContext({ locale: "ja-JP", acceptDownloads: true });
    const page = await ja.newPage();
    page.on("pageerror", (error) => { seen.pageErrors = (seen.pageErrors || []).concat(String(error)); });
    await login(page, config.upload_url);
    seen.loginTitleJa = await page.textContent(".brand-sub");

    seen.docm = await upload(page, config.docm);
    seen.exe = await upload(page, config.exe);
    seen.text = await upload(page, config.text);

    // Drag and drop: a File built in the page, dropped on the drop zone.
    seen.dropped = await drop(page, "dropped.txt", 1000);
    // Too big: refused in plain words before anything is sent.
    seen.tooBig = await drop(page, "big.txt", config.max_upload_bytes + 1);

    // LGWAN side: a separate login (its own session), the list, the download.
    await login(page, config.download_url);
    seen.sideBadge = await page.textContent("#side");
    seen.textDownload = await download(page, seen.text.id);
    if (config.ooxml) seen.docxDownload = await download(page, seen.docm.id);

    // English fallback for any other browser language.
    const en = await browser.newContext({ locale: "fr-FR" });
    const english = await en.newPage();
    await english.goto(config.upload_url);
    await english.waitForSelector("#login");
    seen.loginTitleEn = await english.textContent("#login h1");
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + "\n");
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
