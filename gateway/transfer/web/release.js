// Release pages (issue 9): "#/release/<id>" shows a held item (what, why, size, sender, SHA-256;
// never content) and lets its recipient request it and enter a PPAP password; "#/approvals" is
// the approver's queue. Every text from the server goes through textContent (Mugai.el).
"use strict";

(function () {
  const { el, api, i18n, go, formatBytes, state } = window.Mugai;
  const t = i18n.t;
  const base = "/api/v1/release";

  function row(label, value, id) {
    return el("tr", {}, el("th", { text: t(label) }), el("td", { id, text: value === undefined || value === null || value === "" ? "-" : String(value) }));
  }

  function stateText(request) {
    if (!request) return t("release.state.none");
    return t("release.state." + request.state);
  }

  function message(kind, text, id) {
    return el("p", { class: kind === "ok" ? "verdict delivered" : "error", role: kind === "ok" ? "status" : "alert", id, text });
  }

  async function itemPage(main, params) {
    const id = params[0] || "";
    main.append(el("p", { class: "note", text: t("release.loading") }));
    let item;
    try {
      item = await api("GET", base + "/items/" + encodeURIComponent(id));
    } catch (failure) {
      main.replaceChildren(message("error", failure.status === 404 ? t("release.notfound") : failure.message, "release-error"));
      return;
    }
    render(main, item);
  }

  function render(main, item, notice) {
    main.replaceChildren();
    const held = el("table", { id: "release-held" },
      el("thead", {}, el("tr", {}, ["release.col.name", "release.col.type", "release.col.action", "release.col.reason",
        "release.col.size", "release.col.sha256"].map((key) => el("th", { text: t(key) })))),
      el("tbody", {}, item.held.map((part) => el("tr", {},
        el("td", { text: part.filename || part.path }), el("td", { text: part.type }),
        el("td", { class: "action-" + part.action, text: part.action }), el("td", { text: part.reason }),
        el("td", { text: formatBytes(part.size || 0) }), el("td", {}, el("code", { text: part.sha256 }))))));
    const card = el("section", { class: "card", id: "release-item" },
      el("h1", { text: t("release.title") }),
      notice || null,
      el("table", { class: "facts" }, el("tbody", {},
        row("release.sender", item.sender, "release-sender"),
        row("release.subject", item.subject),
        row("release.stored", item.stored_at),
        row("release.expires", item.expires_at),
        row("release.size", formatBytes(item.size)),
        row("release.sha256", item.sha256, "release-sha256"),
        row("release.why", item.reason || item.verdict),
        row("release.state", stateText(item.request), "release-state"))),
      el("h2", { text: t("release.held") }), held);
    main.append(card);
    main.append(actions(item));
  }

  function actions(item) {
    const box = el("section", { class: "card", id: "release-actions" });
    const error = el("p", { class: "error", role: "alert", hidden: true, id: "release-action-error" });
    const fail = (failure) => {
      error.textContent = failure.code === "wrong-password" ? t("release.wrong")
        : failure.code === "too-many-attempts" ? t("release.throttled")
        : failure.code === "already-released" ? t("release.already") : failure.message;
      error.hidden = false;
    };
    const request = item.request;
    if (item.expired) {
      box.append(message("error", t("release.expired")));
      return box;
    }
    if (!request || request.state === "failed") {
      if (!item.may_request) {
        box.append(el("p", { class: "note", text: t("release.notyours") }));
        return box;
      }
      box.append(el("p", { text: item.encrypted ? t("release.explain.password") : t("release.explain.original") }));
      const button = el("button", { type: "button", id: "release-request", text: t("release.request") });
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await api("POST", base + "/items/" + item.id + "/request");
          refresh(item.id);
        } catch (failure) {
          button.disabled = false;
          fail(failure);
        }
      });
      box.append(button, error);
      return box;
    }
    if (request.state === "awaiting-password" && request.requester === state.info.user) {
      const input = el("input", { type: "password", id: "release-password", autocomplete: "off", required: true });
      const form = el("form", { id: "release-password-form" },
        el("label", { for: "release-password", text: t("release.password") }), input,
        el("p", { class: "note", text: t("release.attempts", { n: request.password_attempts_left }) }),
        el("p", {}, el("button", { type: "submit", text: t("release.open") })), error);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        error.hidden = true;
        const password = input.value;
        input.value = "";
        try {
          await api("POST", base + "/items/" + item.id + "/password", { password });
          refresh(item.id, message("ok", t("release.opened"), "release-opened"));
        } catch (failure) {
          fail(failure);
        }
      });
      box.append(form);
      return box;
    }
    box.append(el("p", { id: "release-status", text: t("release.status." + request.state, { who: request.decided_by || "-" }) }));
    if (request.comment) box.append(el("p", { class: "note", text: t("release.comment") + ": " + request.comment }));
    return box;
  }

  async function refresh(id, notice) {
    const main = document.getElementById("main");
    try {
      render(main, await api("GET", base + "/items/" + encodeURIComponent(id)), notice);
    } catch (failure) {
      main.replaceChildren(message("error", failure.message));
    }
  }

  async function queuePage(main) {
    const card = el("section", { class: "card", id: "approvals" }, el("h1", { text: t("approvals.title") }));
    main.append(card);
    let queue;
    try {
      queue = await api("GET", base + "/queue");
    } catch (failure) {
      card.append(message("error", failure.message));
      return;
    }
    if (!queue.items.length) {
      card.append(el("p", { class: "note", id: "approvals-empty", text: t("approvals.empty") }));
      return;
    }
    for (const item of queue.items) card.append(decisionForm(item));
  }

  function decisionForm(item) {
    const comment = el("input", { type: "text", class: "approval-comment", maxlength: "500" });
    const result = el("p", { class: "approval-result", role: "status" });
    const decide = async (decision, buttons) => {
      buttons.forEach((b) => { b.disabled = true; });
      try {
        const answer = await api("POST", base + "/items/" + item.id + "/decision",
          { decision, token: item.token, comment: comment.value });
        result.textContent = t("approvals.done." + answer.code);
      } catch (failure) {
        result.textContent = failure.message;
        result.className = "error approval-result";
      }
    };
    const approve = el("button", { type: "button", class: "approve", text: t("approvals.approve") });
    const deny = el("button", { type: "button", class: "deny link", text: t("approvals.deny") });
    approve.addEventListener("click", () => decide("approve", [approve, deny]));
    deny.addEventListener("click", () => decide("deny", [approve, deny]));
    return el("div", { class: "approval", "data-id": item.id },
      el("h2", {}, el("a", { href: "#/release/" + item.id, text: item.subject || item.id.slice(0, 16) })),
      el("p", { text: t("approvals.who", { user: item.request.requester, sender: item.sender, size: formatBytes(item.size) }) }),
      el("p", { class: "note", text: t("approvals.content." + item.request.content) }),
      el("label", { text: t("approvals.comment") }), comment,
      el("p", {}, approve, " ", deny), result);
  }

  window.Mugai.pages.register("release", { nav: null, sides: ["upload"], render: itemPage });
  window.Mugai.pages.register("approvals", { nav: "nav.approvals", sides: ["upload"], render: queuePage,
    visible: () => state.info && state.info.release_approver });

  i18n.add({
    ja: {
      "nav.approvals": "承認待ち",
      "release.loading": "読み込み中…",
      "release.notfound": "該当する隔離項目がありません（またはあなた宛てではありません）。",
      "release.title": "隔離された原本",
      "release.sender": "差出人",
      "release.subject": "件名",
      "release.stored": "受信日時",
      "release.expires": "保管期限",
      "release.size": "サイズ",
      "release.sha256": "SHA-256",
      "release.why": "理由",
      "release.state": "状態",
      "release.held": "届けられなかったもの",
      "release.col.name": "名前", "release.col.type": "種類", "release.col.action": "処理",
      "release.col.reason": "理由", "release.col.size": "サイズ", "release.col.sha256": "SHA-256",
      "release.state.none": "依頼なし",
      "release.state.awaiting-password": "パスワード入力待ち",
      "release.state.awaiting-approval": "承認待ち",
      "release.state.delivering": "配送中",
      "release.state.released": "お届け済み",
      "release.state.denied": "却下",
      "release.state.failed": "失敗",
      "release.expired": "保管期限を過ぎたため、取り出しできません。",
      "release.notyours": "この項目はあなた宛てではないため、取り出しを依頼できません。",
      "release.explain.password": "パスワード付き圧縮ファイルです。依頼後にパスワードを入力すると、中のファイルを無害化してお届けします（元のファイルはお届けしません）。",
      "release.explain.original": "原本の取り出しを依頼できます。承認後にお届けします。",
      "release.request": "取り出しを依頼する",
      "release.password": "圧縮ファイルのパスワード",
      "release.attempts": "残り試行回数: {n}",
      "release.open": "パスワードで開く",
      "release.wrong": "パスワードが違います。",
      "release.throttled": "パスワードの誤りが続いたため、しばらく受け付けません。",
      "release.already": "この項目はすでにお届け済みです。",
      "release.opened": "圧縮ファイルを開いて中のファイルを無害化しました。承認されるとお届けします。",
      "release.status.awaiting-approval": "承認待ちです。承認されるとお届けします。",
      "release.status.awaiting-password": "パスワード入力待ちです。",
      "release.status.delivering": "配送中です。",
      "release.status.released": "お届けしました（承認: {who}）。",
      "release.status.denied": "取り出しは却下されました（{who}）。",
      "release.comment": "コメント",
      "approvals.title": "承認待ちの取り出し依頼",
      "approvals.empty": "承認待ちの依頼はありません。",
      "approvals.who": "依頼者: {user} / 差出人: {sender} / {size}",
      "approvals.content.sanitized": "パスワードで開いて無害化した中身をお届けします。",
      "approvals.content.original": "原本をそのままお届けします。",
      "approvals.comment": "コメント",
      "approvals.approve": "承認する",
      "approvals.deny": "却下する",
      "approvals.done.released": "承認しました。お届けしました。",
      "approvals.done.denied": "却下しました。依頼者にメールで知らせました。",
    },
    en: {
      "nav.approvals": "Approvals",
      "release.loading": "Loading…",
      "release.notfound": "No such quarantined item (or it is not addressed to you).",
      "release.title": "Quarantined original",
      "release.sender": "Sender",
      "release.subject": "Subject",
      "release.stored": "Received",
      "release.expires": "Kept until",
      "release.size": "Size",
      "release.sha256": "SHA-256",
      "release.why": "Why",
      "release.state": "State",
      "release.held": "What was not delivered",
      "release.col.name": "Name", "release.col.type": "Type", "release.col.action": "Action",
      "release.col.reason": "Reason", "release.col.size": "Size", "release.col.sha256": "SHA-256",
      "release.state.none": "not requested",
      "release.state.awaiting-password": "waiting for the password",
      "release.state.awaiting-approval": "waiting for approval",
      "release.state.delivering": "being delivered",
      "release.state.released": "delivered",
      "release.state.denied": "denied",
      "release.state.failed": "failed",
      "release.expired": "This item is past its retention period and can no longer be released.",
      "release.notyours": "This item is not addressed to you; you cannot request it.",
      "release.explain.password": "This is a password-protected archive. After you request it and enter the password, every file inside is sanitised and delivered (never the original).",
      "release.explain.original": "You can request the original. It is delivered after approval.",
      "release.request": "Request release",
      "release.password": "Archive password",
      "release.attempts": "Attempts left: {n}",
      "release.open": "Open with this password",
      "release.wrong": "Wrong password.",
      "release.throttled": "Too many wrong passwords. Try again later.",
      "release.already": "This item was already delivered.",
      "release.opened": "The archive was opened and its files sanitised. They are delivered once approved.",
      "release.status.awaiting-approval": "Waiting for approval. It is delivered once approved.",
      "release.status.awaiting-password": "Waiting for the password.",
      "release.status.delivering": "Being delivered.",
      "release.status.released": "Delivered (approved by {who}).",
      "release.status.denied": "The release was denied ({who}).",
      "release.comment": "Comment",
      "approvals.title": "Release requests waiting for you",
      "approvals.empty": "Nothing is waiting for your approval.",
      "approvals.who": "Requested by {user} / sender {sender} / {size}",
      "approvals.content.sanitized": "The archive's files, sanitised after the password, are delivered.",
      "approvals.content.original": "The original is delivered as it is.",
      "approvals.comment": "Comment",
      "approvals.approve": "Approve",
      "approvals.deny": "Deny",
      "approvals.done.released": "Approved and delivered.",
      "approvals.done.denied": "Denied; the requester is told by mail.",
    },
  });
})();
