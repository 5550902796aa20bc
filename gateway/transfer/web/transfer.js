// The file-transfer pages: send a file (Internet side), list your transfers, one transfer's
// verdict and per-part report, and its download link (LGWAN side only).
"use strict";

(function () {
  const { i18n, el, api, state, formatBytes } = window.Mugai;
  const t = i18n.t;

  // What the people at the desk need to read, from the report's machine codes.
  function plainReason(report) {
    const codes = [report.rejection_code || ""];
    for (const finding of report.findings || []) codes.push(finding.code);
    for (const part of report.parts || []) for (const finding of part.findings || []) codes.push(finding.code);
    const code = report.rejection_code || "";
    if (codes.some((c) => /encrypt|password/i.test(c))) return t("reason.encrypted");
    if (code.startsWith("limit.")) return t("reason.limit");
    if (code === "policy.executable") return t("reason.executable");
    if (code === "policy.script") return t("reason.script");
    if (code.startsWith("policy.")) {
      const part = (report.parts || [])[0] || {};
      return t("reason.type", { type: part.detected_class || code.slice(7) });
    }
    return t("reason.other");
  }

  function httpErrorText(status, message) {
    if (status === 413) return t("error.too_big", { limit: formatBytes(state.info.max_upload_bytes) });
    if (status === 429) return t("error.too_many");
    if (status === 401) return t("login.wrong");
    if (status === 0) return t("error.network");
    return t("error.refused", { message });
  }

  function findingsList(findings) {
    if (!findings || !findings.length) return "";
    return el("ul", { class: "findings" },
      findings.map((f) => el("li", {}, el("code", { text: f.code }), f.detail ? " " + f.detail : "")));
  }

  function reportTable(report) {
    const rows = (report.parts || []).map((part) =>
      el("tr", {},
        el("td", { text: part.path }),
        el("td", { text: part.filename || "" }),
        el("td", { text: part.detected_type || part.detected_class || "" }),
        el("td", { class: "action-" + part.action, text: t("action." + part.action) }),
        el("td", { text: part.reason || "" }),
        el("td", {}, findingsList(part.findings))));
    return el("table", { id: "report-table" },
      el("thead", {}, el("tr", {},
        ["col.part", "col.name", "col.type", "col.action", "col.reason", "col.findings"].map((key) => el("th", { text: t(key) })))),
      el("tbody", {}, rows));
  }

  // One transfer: verdict in plain words, what happens next, and the per-part table.
  function renderResult(transfer) {
    const report = transfer.report || {};
    const delivered = transfer.verdict === "delivered";
    const box = el("section", { class: "card", id: "result", "data-verdict": transfer.verdict });
    box.append(el("div", { class: "verdict " + transfer.verdict, id: "verdict",
      text: delivered ? t("verdict.delivered", { name: transfer.output_filename }) : t("verdict.rejected") + " " + plainReason(report) }));
    if (!delivered && report.reason) box.append(el("p", { class: "note", text: t("detail", { reason: report.reason }) }));
    if (delivered && state.info.side === "download" && transfer.download) {
      box.append(el("a", { class: "download", id: "download", href: transfer.download, download: transfer.output_filename,
        text: t("download", { name: transfer.output_filename }) }));
    } else if (delivered) {
      box.append(el("p", { class: "note", text: transfer.outbox ? t("next.outbox") : t("next.lgwan") }));
    }
    if ((report.findings || []).length) box.append(el("h2", { text: t("findings.file") }), findingsList(report.findings));
    box.append(el("h2", { text: t("report.title") }), reportTable(report));
    box.append(el("p", { class: "note" }, t("transfer.id") + " ", el("code", { id: "transfer-id", text: transfer.id }),
      " · " + t("profile") + " " + transfer.profile + " · " + formatBytes(transfer.size || 0)));
    return box;
  }

  function uploadPage(main) {
    const input = el("input", { type: "file", id: "file-input" });
    const drop = el("label", { class: "drop", id: "drop", for: "file-input" }, el("span", { text: t("drop") }), input);
    const profiles = state.info.profiles || [];
    const select = el("select", { id: "profile" }, profiles.map((name) => el("option", { value: name, text: name })));
    const progress = el("progress", { id: "progress", max: 100, value: 0, hidden: true });
    const status = el("p", { class: "note", id: "upload-status" });
    const error = el("p", { class: "error", id: "upload-error", role: "alert", hidden: true });
    const result = el("div", { id: "result-area" });
    main.append(el("section", { class: "card" },
      el("h1", { text: t("upload.title") }),
      el("p", { class: "note", text: t("upload.limit", { limit: formatBytes(state.info.max_upload_bytes) }) }),
      profiles.length > 1 ? [el("label", { for: "profile", text: t("profile") }), select] : null,
      drop, progress, status, error), result);

    function fail(text) {
      error.textContent = text;
      error.hidden = false;
      progress.hidden = true;
      status.textContent = "";
    }

    function send(file) {
      error.hidden = true;
      result.replaceChildren();
      if (file.size > state.info.max_upload_bytes) return fail(t("error.too_big", { limit: formatBytes(state.info.max_upload_bytes) }));
      const form = new FormData();
      if (profiles.length > 1) form.append("profile", select.value);
      form.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/transfers");
      xhr.setRequestHeader("X-Mugai-Request", "1");
      xhr.upload.addEventListener("progress", (event) => {
        if (!event.lengthComputable) return;
        progress.dataset.seen = "1";
        progress.value = Math.round((event.loaded / event.total) * 100);
        status.textContent = t("upload.sending", { percent: progress.value });
      });
      xhr.upload.addEventListener("load", () => { status.textContent = t("upload.checking"); });
      xhr.addEventListener("load", () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        progress.hidden = true;
        status.textContent = "";
        if (xhr.status === 201 && body) return result.replaceChildren(renderResult(body));
        if (xhr.status === 401) return window.Mugai.go("upload");
        fail(httpErrorText(xhr.status, (body && body.message) || xhr.statusText));
      });
      xhr.addEventListener("error", () => fail(httpErrorText(0)));
      progress.hidden = false;
      progress.value = 0;
      status.textContent = t("upload.sending", { percent: 0 });
      xhr.send(form);
    }

    input.addEventListener("change", () => { if (input.files.length) send(input.files[0]); input.value = ""; });
    drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("over");
      if (event.dataTransfer.files.length > 1) return fail(t("error.one_file"));
      if (event.dataTransfer.files.length) send(event.dataTransfer.files[0]);
    });
  }

  async function listPage(main) {
    const card = el("section", { class: "card" }, el("h1", { text: t("list.title") }));
    main.append(card);
    try {
      const { transfers } = await api("GET", "/api/v1/transfers");
      if (!transfers.length) return card.append(el("p", { class: "note", text: t("list.empty") }));
      card.append(el("table", { id: "transfers" },
        el("thead", {}, el("tr", {}, ["col.date", "col.name", "col.verdict", ""].map((key) => el("th", { text: key ? t(key) : "" })))),
        el("tbody", {}, transfers.map((item) => el("tr", { "data-id": item.id },
          el("td", { text: item.created_at.replace("T", " ").replace("Z", " UTC") }),
          el("td", {}, el("a", { href: "#/transfer/" + item.id, text: item.filename || item.id })),
          el("td", { class: "action-" + (item.verdict === "delivered" ? "kept" : "rejected"), text: t("verdict.short." + item.verdict) }),
          el("td", {}, state.info.side === "download" && item.download
            ? el("a", { href: item.download, download: item.output_filename, text: t("download.short") }) : ""))))));
    } catch (failure) {
      card.append(el("p", { class: "error", text: failure.message }));
    }
  }

  async function detailPage(main, [id]) {
    try {
      main.append(renderResult(await api("GET", "/api/v1/transfers/" + encodeURIComponent(id || ""))));
    } catch (failure) {
      main.append(el("p", { class: "error", text: failure.status === 404 ? t("error.no_such") : failure.message }));
    }
  }

  window.Mugai.pages.register("upload", { nav: "nav.upload", sides: ["upload"], home: ["upload"], render: uploadPage });
  window.Mugai.pages.register("transfers", { nav: "nav.list", home: ["download"], render: listPage });
  window.Mugai.pages.register("transfer", { nav: null, render: detailPage });

  i18n.add({
    ja: {
      "nav.upload": "ファイルを送る",
      "nav.list": "送ったファイル",
      "upload.title": "ファイルを LGWAN 側へ送る",
      "upload.limit": "1 回に 1 ファイル、{limit} まで。無害化してから LGWAN 側で受け取れます。",
      drop: "ここにファイルをドラッグ＆ドロップ、またはクリックして選択",
      "upload.sending": "送信中… {percent}%",
      "upload.checking": "無害化しています…",
      profile: "ポリシー",
      "verdict.delivered": "無害化しました: {name}",
      "verdict.rejected": "このファイルは受け付けられませんでした。",
      "verdict.short.delivered": "無害化済み",
      "verdict.short.rejected": "拒否",
      "reason.encrypted": "パスワード付き（暗号化された）ファイルは中身を確認できないため持ち込めません。",
      "reason.limit": "ファイルが大きすぎるか、構造が複雑すぎます。",
      "reason.executable": "実行ファイル（プログラム）は持ち込めません。",
      "reason.script": "スクリプトファイルは持ち込めません。",
      "reason.type": "この種類のファイル（{type}）は許可されていません。",
      "reason.other": "安全に無害化できませんでした。",
      detail: "詳細: {reason}",
      "next.lgwan": "LGWAN 側のページ（送ったファイル）からダウンロードできます。",
      "next.outbox": "LGWAN 側の受け取りフォルダーに置きました。",
      download: "無害化したファイルをダウンロード（{name}）",
      "download.short": "ダウンロード",
      "findings.file": "ファイル全体について",
      "report.title": "各部分の処理",
      "col.part": "部分",
      "col.name": "ファイル名",
      "col.type": "種類",
      "col.action": "処理",
      "col.reason": "理由",
      "col.findings": "検出事項",
      "col.date": "日時",
      "col.verdict": "結果",
      "action.kept": "そのまま",
      "action.converted": "変換",
      "action.sanitized": "無害化",
      "action.removed": "削除",
      "action.rejected": "拒否",
      "action.held": "保留",
      "transfer.id": "受付番号",
      "list.title": "送ったファイル",
      "list.empty": "まだありません。",
      "error.too_big": "ファイルが大きすぎます（上限 {limit}）。",
      "error.too_many": "短い間に送りすぎです。少し待ってからやり直してください。",
      "error.refused": "送信できませんでした: {message}",
      "error.one_file": "1 回に送れるのは 1 ファイルです。",
      "error.no_such": "この受付番号は見つかりません。",
    },
    en: {
      "nav.upload": "Send a file",
      "nav.list": "My transfers",
      "upload.title": "Send a file to the LGWAN side",
      "upload.limit": "One file at a time, up to {limit}. It is sanitised, then you collect it on the LGWAN side.",
      drop: "Drop a file here, or click to choose one",
      "upload.sending": "Sending… {percent}%",
      "upload.checking": "Sanitising…",
      profile: "Profile",
      "verdict.delivered": "Sanitised: {name}",
      "verdict.rejected": "This file was refused.",
      "verdict.short.delivered": "sanitised",
      "verdict.short.rejected": "refused",
      "reason.encrypted": "Password-protected (encrypted) files cannot be checked, so they cannot be brought in.",
      "reason.limit": "The file is too large or too complex.",
      "reason.executable": "Executable files (programs) cannot be brought in.",
      "reason.script": "Script files cannot be brought in.",
      "reason.type": "This type of file ({type}) is not allowed.",
      "reason.other": "It could not be sanitised safely.",
      detail: "Detail: {reason}",
      "next.lgwan": "Download it from the LGWAN-side page (My transfers).",
      "next.outbox": "It was placed in your LGWAN-side folder.",
      download: "Download the sanitised file ({name})",
      "download.short": "Download",
      "findings.file": "About the whole file",
      "report.title": "What was done to each part",
      "col.part": "Part",
      "col.name": "File name",
      "col.type": "Type",
      "col.action": "Action",
      "col.reason": "Reason",
      "col.findings": "Findings",
      "col.date": "Date",
      "col.verdict": "Result",
      "action.kept": "kept",
      "action.converted": "converted",
      "action.sanitized": "sanitised",
      "action.removed": "removed",
      "action.rejected": "refused",
      "action.held": "held",
      "transfer.id": "Transfer ID",
      "list.title": "My transfers",
      "list.empty": "None yet.",
      "error.too_big": "The file is too large (limit {limit}).",
      "error.too_many": "Too many uploads in a short time. Wait a little and try again.",
      "error.refused": "Could not send: {message}",
      "error.one_file": "Send one file at a time.",
      "error.no_such": "No transfer with this ID.",
    },
  });
})();
