/// The sandbox's stylesheet: newsroom's look (its colours, type and buttons, light and dark) for the consent
/// screen, kept here so the sandbox needs no files. `SandboxPages.stylesheet()` serves it.
enum SandboxStyle {
    static let css = """
        :root {
          color-scheme: light dark;
          --bg: #f7f6f3; --surface: #ffffff; --text: #1b1b1f; --muted: #595d64; --border: #e2e0db;
          --accent: #b42318; --focus: #1a5fd6; --button-bg: #1f2328; --button-text: #ffffff;
          --banner-bg: #fff6e0; --banner-border: #e9c46a; --banner-text: #5c4300;
          --in: #1a7f37; --pending: #9a6700; --out: #b42318;
          --shadow: 0 1px 2px rgb(0 0 0 / 0.05), 0 2px 8px rgb(0 0 0 / 0.04);
          --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
          --serif: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Times New Roman", "Noto Serif", serif;
          --radius: 10px;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #131416; --surface: #1c1e21; --text: #ebe9e6; --muted: #a8acb2; --border: #2f3237;
            --accent: #ff8f85; --focus: #7fb0ff; --button-bg: #ebe9e6; --button-text: #131416;
            --banner-bg: #2b2413; --banner-border: #6b5618; --banner-text: #f3dc9c;
            --in: #5fd27a; --pending: #e3b341; --out: #ff8f85; --shadow: none;
          }
        }
        *, *::before, *::after { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text); font: 1rem/1.55 var(--sans); }
        h1, h2 { line-height: 1.25; margin: 0 0 0.5rem; }
        h1 { font-family: var(--serif); font-size: clamp(1.6rem, 4.5vw, 2.1rem); font-weight: 500; }
        h1 strong { font-weight: 700; }
        h2 { font-size: 1rem; }
        p { margin: 0 0 0.75rem; }
        code { font-size: 0.9em; overflow-wrap: anywhere; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
        .muted { color: var(--muted); }
        .sandbox-banner {
          margin: 0; padding: 0.7rem 1.25rem; text-align: center; font-size: 0.95rem;
          background: var(--banner-bg); color: var(--banner-text); border-bottom: 1px solid var(--banner-border);
        }
        .sandbox-page, .consent { max-width: 50rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
        .consent__header { text-align: center; margin-bottom: 1.5rem; }
        .consent__marks { display: flex; justify-content: center; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
        .consent__arrow { color: var(--muted); font-size: 1.3rem; }
        .consent__lede { color: var(--muted); }
        .mark {
          display: inline-grid; place-items: center; width: 2.6rem; height: 2.6rem; border-radius: 50%; flex: none;
          background: var(--border); color: var(--text); font-weight: 700;
        }
        .mark--app { background: var(--accent); color: #fff; font-family: var(--serif); font-size: 1.3rem; border-radius: 12px; }
        .mark--github { background: var(--button-bg); color: var(--button-text); font-size: 0.85rem; }
        .consent__box {
          background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
          box-shadow: var(--shadow); padding: 1rem 1.25rem; margin-bottom: 1.75rem;
        }
        .consent__box h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
        .scopes { list-style: none; margin: 0 0 0.75rem; padding: 0; }
        .scopes li { padding: 0.45rem 0; border-bottom: 1px solid var(--border); display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
        .scopes__name { font-weight: 600; }
        .scopes__what { color: var(--muted); }
        .consent__redirect { font-size: 0.9rem; margin: 0; }
        .consent__section { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
        .accounts {
          list-style: none; margin: 0 0 1.5rem; padding: 0; display: grid; gap: 1rem;
          grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr));
        }
        .account-card {
          background: var(--surface); border: 1px solid var(--border); border-top: 4px solid var(--out);
          border-radius: var(--radius); box-shadow: var(--shadow);
        }
        .account-card--in { border-top-color: var(--in); }
        .account-card--pending { border-top-color: var(--pending); }
        .account-card form { display: flex; flex-direction: column; height: 100%; padding: 1rem 1.1rem 1.1rem; }
        .account-card__who { display: flex; align-items: center; gap: 0.6rem; }
        .account-card__who strong { display: block; font-size: 1.05rem; }
        .account-card__standing { font-weight: 600; font-size: 0.92rem; }
        .account-card--in .account-card__standing { color: var(--in); }
        .account-card--pending .account-card__standing { color: var(--pending); }
        .account-card--out .account-card__standing { color: var(--out); }
        .account-card__outcome { color: var(--muted); font-size: 0.92rem; }
        .account-card .button { margin-top: auto; width: 100%; }
        .button {
          display: inline-flex; align-items: center; justify-content: center; font: inherit; font-weight: 600;
          line-height: 1.2; padding: 0.6rem 1.1rem; border-radius: var(--radius); cursor: pointer;
          border: 1px solid var(--border); background: var(--surface); color: var(--text);
        }
        .button:hover { border-color: var(--muted); }
        .button--primary { background: var(--button-bg); color: var(--button-text); border-color: var(--button-bg); }
        .button--primary:hover { opacity: 0.9; }
        .consent__cancel { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; margin-bottom: 1.5rem; }
        .consent__fine { color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--border); padding-top: 1rem; }
        """
}
