/// The page `report.html` is rendered from (swift-mustache): one file, its
/// styles inline, no fetches; `{{value}}` is HTML-escaped, and only the
/// stylesheet and script below, which are ours, and the links, which
/// ``RelativePath`` percent-encodes to characters HTML never escapes, go in
/// unescaped. The gallery's
/// markup repeats 20,000 times in a large batch, so it is kept terse (docs/report.md §6).
enum ReportTemplate {
    static let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{title}}</title>
        <style>{{{css}}}</style></head>
        <body>
        <header><h1 id="command">{{command}}</h1>
        <dl class="facts">
        {{#hasStarted}}<dt>started</dt><dd id="started">{{started}}</dd><dt>ended</dt><dd id="ended">{{ended}}</dd>
        <dt>elapsed</dt><dd id="elapsed">{{elapsed}}</dd>{{/hasStarted}}
        {{^hasStarted}}<dt>written</dt><dd id="ended">{{ended}}</dd>{{/hasStarted}}
        <dt>exit status</dt><dd id="exit-status" class="exit-{{exitClass}}">{{exitStatus}}</dd>
        <dt>moonwatch</dt><dd id="version">{{version}}</dd>
        {{#details}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/details}}
        </dl></header>
        <main>
        {{#hasOutcomes}}
        <section id="outcomes"><h2>Items</h2>
        <table class="counts"><tbody>
        {{#outcomes}}<tr data-outcome="{{name}}"><th>{{name}}</th><td class="count">{{count}}</td></tr>{{/outcomes}}
        <tr class="total"><th>total</th><td class="count" id="total">{{total}}</td></tr>
        </tbody></table></section>
        <section id="failures"><h2>Failures</h2>
        {{^failureGroups}}<p class="none">No item failed.</p>{{/failureGroups}}
        {{#failureGroups}}<details class="failure-group" data-kind="{{kind}}" data-code="{{code}}" data-count="{{count}}">
        <summary><span class="label">{{title}}</span> <span class="times">×{{count}}</span></summary>
        <div class="scroll"><table><thead><tr><th>line</th><th>id</th><th>message</th></tr></thead><tbody>
        {{#items}}<tr><td class="line">{{line}}</td><td class="id">{{id}}</td><td class="message">{{message}}</td></tr>
        {{/items}}</tbody></table></div></details>
        {{/failureGroups}}</section>
        {{/hasOutcomes}}
        <section id="services"><h2>Services</h2>
        {{^hasServices}}<p class="none">{{servicesNote}}</p>{{/hasServices}}
        {{#hasServices}}<div class="scroll"><table><thead><tr><th>service</th><th>polls</th><th>retries</th><th>throttled</th>
        <th>waits</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>time to answer</th></tr></thead><tbody>
        {{#services}}<tr data-service="{{name}}"><th>{{name}}</th><td class="polls">{{polls}}</td><td class="retries">{{retries}}</td>
        <td class="throttled">{{throttled}}</td><td class="waits">{{waits}}</td><td>{{p50}}</td><td>{{p90}}</td><td>{{p99}}</td><td>{{max}}</td>
        <td><span class="histogram">{{#buckets}}<i style="height:{{height}}%" title="{{name}}: {{count}}"></i>{{/buckets}}</span></td></tr>
        {{/services}}</tbody></table></div>{{/hasServices}}
        {{#totals}}<p id="totals">{{totals}}</p>{{/totals}}
        </section>
        <section id="gallery"><h2>Gallery</h2>
        {{^pages}}<p class="none">No files.</p>{{/pages}}
        {{#pages}}<details class="page"{{#open}} open{{/open}}><summary>{{range}}</summary>{{^open}}<template>{{/open}}
        {{#entries}}<article data-status="{{status}}"><h3>{{title}}{{#status}} <span class="status">{{status}}</span>{{/status}}</h3>\
        {{#hasImages}}<div class="images">{{#images}}<img loading=lazy src="{{{src}}}" alt="{{name}}" title="{{hover}}">{{/images}}</div>{{/hasImages}}\
        {{#hasOthers}}<ul class="files">{{#others}}<li><a href="{{{src}}}">{{name}}</a> {{size}} <code>{{sha256}}</code></li>{{/others}}</ul>{{/hasOthers}}</article>
        {{/entries}}{{^open}}</template>{{/open}}</details>
        {{/pages}}</section></main>
        <script>{{{script}}}</script>
        </body></html>

        """

    /// Light by default, dark when the system is; two thumbnails abreast on a phone.
    static let css = """
        :root{--fg:#1d232a;--muted:#5b6570;--bg:#fff;--panel:#f3f5f7;--line:#d9dee3;--ok:#1a7f37;--bad:#c62828;--accent:#0b62c4}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa4ae;--bg:#15181c;--panel:#1f2429;--line:#333b43;--ok:#4ccb6d;--bad:#ff6b6b;--accent:#5aa9ff}}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
        header,main{max-width:1200px;margin:0 auto;padding:0 16px}h1{font-size:1.4em;margin:16px 0 8px;word-break:break-all}
        h2{font-size:1.15em;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}h3{font-size:1em;margin:0 0 6px;word-break:break-all}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;color:var(--muted)}.facts dd{margin:0;color:var(--fg);word-break:break-all}
        .exit-ok{color:var(--ok)}.exit-bad{color:var(--bad)}.none{color:var(--muted)}
        table{border-collapse:collapse}th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid var(--line);vertical-align:top}
        td{font-variant-numeric:tabular-nums;white-space:nowrap}td.message{white-space:normal}.counts td{text-align:right}.scroll{overflow-x:auto}
        [data-outcome=failed] td,.failure-group summary .times{color:var(--bad)}[data-outcome=done] td{color:var(--ok)}
        details{background:var(--panel);border-radius:6px;margin:6px 0;padding:6px 10px}summary{cursor:pointer}
        .failure-group .label{font-family:ui-monospace,monospace;word-break:break-all}.message{word-break:break-word}
        .histogram{display:inline-flex;align-items:flex-end;gap:2px;height:24px}.histogram i{display:block;width:8px;min-height:1px;background:var(--accent)}
        article{border-top:1px solid var(--line);padding:8px 0}.status{font-weight:normal;color:var(--muted)}[data-status=failed] .status{color:var(--bad)}
        .images{display:flex;flex-wrap:wrap;gap:8px}.images img{height:160px;max-width:100%;object-fit:contain;background:var(--bg);border:1px solid var(--line);border-radius:4px;cursor:zoom-in}
        .files{margin:4px 0;padding-left:18px}.files code{font-size:.85em;color:var(--muted);word-break:break-all}a{color:var(--accent)}
        @media (max-width:600px){h1{font-size:1.1em}.images img{height:auto;width:calc(50% - 4px)}th,td{padding-right:6px}}
        """

    /// A click on a thumbnail opens the picture itself. A closed page's items
    /// sit in a `<template>`, inert (Chromium would otherwise request every lazy
    /// thumbnail of every closed page at once: 17 s for 20,000 of them); opening
    /// the page brings them in.
    static let script = """
        document.addEventListener("click",function(e){if(e.target.tagName==="IMG"&&e.target.closest(".images"))window.open(e.target.src)});
        document.addEventListener("toggle",function(e){var t=e.target.open&&e.target.querySelector(":scope>template");if(t)t.replaceWith(t.content)},true);
        """
}
