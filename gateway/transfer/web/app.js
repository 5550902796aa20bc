// mugai web front end: the shared core. No framework and no innerHTML for anything that came
// from a request or a file: every text goes through textContent (Mugai.el), so a hostile file
// name can never become markup. Pages live in their own scripts and register themselves:
//
//   Mugai.i18n.add({ ja: { "key": "…" }, en: { "key": "…" } });
//   Mugai.pages.register("name", { nav: "nav.key" | null, sides: ["upload", "download"],
//                                   render(main, params) { … } });
//
// Routes are "#/name/param1/param2"; Mugai.go("name", "param1") navigates.
"use strict";

(function () {
  const messages = { ja: {}, en: {} };
  const lang = (navigator.language || "en").toLowerCase().startsWith("ja") ? "ja" : "en";

  const i18n = {
    lang,
    add(table) {
      for (const code of Object.keys(table)) Object.assign(messages[code] || (messages[code] = {}), table[code]);
    },
    // t("key", {n: 3}) -> text with {n} replaced; falls back to English, then to the key.
    t(key, values) {
      let text = (messages[lang] && messages[lang][key]) || messages.en[key] || key;
      if (values) for (const name of Object.keys(values)) text = text.split("{" + name + "}").join(String(values[name]));
      return text;
    },
    apply(root) {
      for (const node of (root || document).querySelectorAll("[data-i18n]")) node.textContent = i18n.t(node.dataset.i18n);
    },
  };

  // el("td", {class: "x", text: "…"}, child, child): builds DOM without parsing markup.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  // JSON API call; rejects with ApiError carrying the server's plain-words message.
  async function api(method, path, body) {
    const options = { method, headers: { "X-Mugai-Request": "1" }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (error) {
      throw new ApiError(0, "network", i18n.t("error.network"));
    }
    let json = null;
    try {
      json = await response.json();
    } catch (error) {
      json = null;
    }
    if (!response.ok) {
      if (response.status === 401 && path !== "/api/v1/session") showLogin();
      throw new ApiError(response.status, json && json.error, (json && json.message) || response.statusText);
    }
    return json;
  }

  const pages = {};
  const state = { info: null };
  const main = () => document.getElementById("main");

  function register(name, page) {
    pages[name] = page;
  }

  function go(name, ...params) {
    const hash = "#/" + [name, ...params].map(encodeURIComponent).join("/");
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function defaultPage() {
    const names = Object.keys(pages).filter((name) => pages[name].home && pages[name].home.includes(state.info.side));
    return names[0] || Object.keys(pages)[0];
  }

  function renderNav(current) {
    const nav = document.getElementById("nav");
    nav.replaceChildren();
    if (!state.info || !state.info.user) return;
    for (const [name, page] of Object.entries(pages)) {
      if (!page.nav || (page.sides && !page.sides.includes(state.info.side))) continue;
      if (page.visible && !page.visible()) continue;  // e.g. the approvals page, for approvers only
      nav.append(el("a", { href: "#/" + name, class: name === current ? "current" : null, text: i18n.t(page.nav) }));
    }
  }

  function renderHeader() {
    const side = document.getElementById("side");
    side.textContent = i18n.t(state.info.side === "download" ? "side.download" : "side.upload");
    side.className = "side " + state.info.side;
    document.getElementById("who").textContent = state.info.user ? i18n.t("who", { user: state.info.user }) : "";
    document.getElementById("logout").hidden = !state.info.user;
  }

  function route() {
    if (!state.info) return;
    if (!state.info.user) return showLogin();
    const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
    let name = parts.shift();
    let page = pages[name];
    if (!page || (page.sides && !page.sides.includes(state.info.side))) {
      name = defaultPage();
      page = pages[name];
    }
    renderHeader();
    renderNav(name);
    const root = main();
    root.replaceChildren();
    page.render(root, parts);
  }

  function showLogin() {
    if (state.info) state.info.user = null;
    renderHeader();
    renderNav(null);
    const error = el("p", { class: "error", role: "alert", hidden: true });
    const user = el("input", { type: "text", id: "login-user", autocomplete: "username", required: true });
    const password = el("input", { type: "password", id: "login-password", autocomplete: "current-password", required: true });
    const form = el("form", { class: "card", id: "login" },
      el("h1", { text: i18n.t("login.title") }),
      el("label", { for: "login-user", text: i18n.t("login.user") }), user,
      el("label", { for: "login-password", text: i18n.t("login.password") }), password,
      el("p", {}, el("button", { type: "submit", text: i18n.t("login.submit") })),
      error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        const who = await api("POST", "/api/v1/session", { user: user.value, password: password.value });
        state.info.user = who.user;
        state.info.profiles = who.profiles;
        // What the user may see beyond their own pages (e.g. the approvals queue) comes with info.
        state.info = await api("GET", "/api/v1/info").catch(() => state.info);
        route();
      } catch (failure) {
        error.textContent = failure.status === 429 ? i18n.t("error.throttled")
          : failure.status === 401 ? i18n.t("login.wrong") : failure.message;
        error.hidden = false;
      }
    });
    main().replaceChildren(form);
    user.focus();
  }

  async function logout() {
    try {
      await api("DELETE", "/api/v1/session");
    } finally {
      showLogin();
    }
  }

  async function start() {
    i18n.apply();
    document.documentElement.lang = lang;
    document.getElementById("logout").addEventListener("click", logout);
    try {
      state.info = await api("GET", "/api/v1/info");
    } catch (failure) {
      main().replaceChildren(el("p", { class: "error", text: failure.message }));
      return;
    }
    window.addEventListener("hashchange", route);
    route();
  }

  // Sizes in people's units.
  function formatBytes(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    if (bytes >= 1024) return (bytes / 1024).toFixed(1) + " KB";
    return bytes + " B";
  }

  i18n.add({
    ja: {
      "app.subtitle": "ファイル無害化",
      "side.upload": "インターネット側",
      "side.download": "LGWAN 側",
      who: "{user} さん",
      logout: "ログアウト",
      "login.title": "ログイン",
      "login.user": "ユーザー名",
      "login.password": "パスワード",
      "login.submit": "ログイン",
      "login.wrong": "ユーザー名またはパスワードが違います。",
      "error.network": "サーバーに接続できません。ネットワークを確認してください。",
      "error.throttled": "ログインの失敗が続いたため、しばらく受け付けません。1 分ほど待ってからやり直してください。",
    },
    en: {
      "app.subtitle": "file sanitisation",
      "side.upload": "Internet side",
      "side.download": "LGWAN side",
      who: "{user}",
      logout: "Log out",
      "login.title": "Log in",
      "login.user": "User name",
      "login.password": "Password",
      "login.submit": "Log in",
      "login.wrong": "Wrong user name or password.",
      "error.network": "Cannot reach the server. Check the network.",
      "error.throttled": "Too many failed logins. Wait about a minute and try again.",
    },
  });

  window.Mugai = { i18n, el, api, ApiError, pages: { register }, go, state, formatBytes };
  document.addEventListener("DOMContentLoaded", start);
})();
