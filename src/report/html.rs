//! report.html: one self-contained page (inline CSS, the charts inline as SVG,
//! no scripts, nothing fetched) with the figures, budgets, incidents and charts.

use super::escape_xml as esc;
use super::rows::{breakdown_rows, figure_rows, incident_rows, range_rows, CHARTS, RANGE_HEADER};
use super::secs_plain;
use super::timeline;
use crate::metrics::{Incident, Report, RunResult};
use std::fmt::Write;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #e3e6ea;padding-bottom:4px;margin-top:1.8em}
h3{margin-top:1.4em}.meta{color:#57606a;font-size:.92em}code{font-size:.9em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.93em}
th,td{border:1px solid #d8dde3;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;padding:6px 12px;border-radius:6px;font-weight:600}
.ok{background:#dcf5e3;color:#105a26}.bad{background:#fde2e1;color:#8a1c14}
.bar{display:flex;height:22px;border-radius:4px;overflow:hidden;margin:.4em 0 .2em;max-width:860px}
.bar span{display:block;height:100%}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}
figure{margin:1em 0 2em}figure svg{max-width:100%;height:auto;border:1px solid #e3e6ea}
figcaption{color:#57606a;font-size:.9em}nav a{margin-right:14px}
";

/// Appends formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The page. `charts` are (file name, SVG) pairs as from
/// [`all_charts`](super::charts::all_charts); each is inlined.
pub fn report_html(result: &RunResult, charts: &[(&str, String)]) -> String {
    let r = &result.report;
    let mut out = String::new();
    put!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>regionsim: {} (seed {})</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&r.scenario),
        r.seed
    );
    header(&mut out, r);
    budgets(&mut out, r);
    out.push_str("<section id=\"figures\">\n<h2>Headline figures</h2>\n");
    table2(&mut out, &figure_rows(&r.metrics));
    ranges(&mut out, &range_rows(&r.metrics));
    out.push_str("</section>\n");
    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (file, caption) in CHARTS {
        if let Some((_, svg)) = charts.iter().find(|(f, _)| *f == file) {
            put!(
                out,
                "<figure id=\"{}\">\n{}<figcaption>{} (<code>{}</code>)</figcaption>\n</figure>\n",
                file.trim_end_matches(".svg"),
                inline_svg(svg),
                esc(caption),
                file
            );
        }
    }
    out.push_str("</section>\n");
    incidents(&mut out, &r.incidents);
    put!(
        out,
        "<footer class=\"meta\"><p>Files beside this page: <code>report.json</code>, \
         <code>summary.md</code>, <code>lost_writes.csv</code> ({} lost writes), \
         and the four charts as SVG.</p></footer>\n</main>\n</body>\n</html>\n",
        result.lost_writes.len()
    );
    out
}

fn header(out: &mut String, r: &Report) {
    put!(
        out,
        "<h1>{} — seed {}</h1>\n<p class=\"meta\">regionsim {} · scenario SHA-256 <code>{}</code> · \
         simulated {} of traffic then {} of drain. Times are virtual seconds since the start; \
         every figure is measured from the simulated history unless labelled <em>estimate</em>.</p>\n",
        esc(&r.scenario),
        r.seed,
        esc(&r.regionsim_version),
        esc(&r.scenario_sha256),
        crate::metrics::human_duration(r.duration_us),
        crate::metrics::human_duration(r.drain_us)
    );
    out.push_str(
        "<nav><a href=\"#budgets\">Budgets</a><a href=\"#figures\">Figures</a>\
         <a href=\"#charts\">Charts</a><a href=\"#incidents\">Incidents</a></nav>\n",
    );
}

fn budgets(out: &mut String, r: &Report) {
    out.push_str("<section id=\"budgets\">\n<h2>Budgets</h2>\n");
    let breached = r.budgets.iter().filter(|b| !b.ok).count();
    if r.budgets.is_empty() {
        out.push_str("<p>The scenario declares no <code>[budgets]</code>.</p>\n</section>\n");
        return;
    }
    if breached == 0 {
        put!(
            out,
            "<p class=\"verdict ok\">All {} budgets held</p>\n",
            r.budgets.len()
        );
    } else {
        put!(
            out,
            "<p class=\"verdict bad\">{breached} of {} budgets breached</p>\n",
            r.budgets.len()
        );
    }
    out.push_str("<table>\n<tr><th>Metric</th><th>Limit</th><th>Actual</th><th>Result</th></tr>\n");
    for b in &r.budgets {
        let (limit, actual) = super::rows::budget_cells(b);
        put!(
            out,
            "<tr><td><code>{}</code></td><td class=\"num\">{} {}</td><td class=\"num\">{}</td>\
             <td class=\"{}\">{}</td></tr>\n",
            esc(&b.metric),
            esc(super::rows::budget_op(b)),
            esc(&limit),
            esc(&actual),
            if b.ok { "ok" } else { "bad" },
            if b.ok { "held" } else { "BREACHED" }
        );
    }
    out.push_str(
        "</table>\n<p class=\"meta\">Each budget is a ceiling except <code>availability</code>, \
         which is a floor.</p>\n</section>\n",
    );
}

fn incidents(out: &mut String, incidents: &[Incident]) {
    out.push_str("<section id=\"incidents\">\n<h2>Incidents</h2>\n");
    if incidents.is_empty() {
        out.push_str("<p>No incidents: no fault left a region unable to serve or replicate.</p>\n");
    }
    for (i, inc) in incidents.iter().enumerate() {
        put!(out, "<h3>Incident {}: {}</h3>\n", i + 1, esc(&inc.cause));
        table2(out, &incident_rows(inc));
        breakdown(out, inc);
        if inc.timeline.is_empty() {
            out.push_str("<p>No timeline entries.</p>\n");
            continue;
        }
        out.push_str("<table>\n<tr><th>Time (s)</th><th>Kind</th><th>Event</th></tr>\n");
        for t in &inc.timeline {
            put!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                secs_plain(t.at_us),
                t.kind.as_str(),
                esc(&timeline::text(&t.event))
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

/// The colour of a critical-path phase (the palette of rto.svg).
fn phase_color(p: crate::metrics::Phase) -> &'static str {
    use crate::metrics::Phase;
    match p {
        Phase::Detection => "#D55E00",
        Phase::Promotion => "#E69F00",
        Phase::Routing => "#0072B2",
        Phase::Overlapped => "#CC79A7",
        Phase::Outage => "#5A5A5A",
        Phase::ClientTail => "#56B4E9",
    }
}

/// The RTO breakdown: a proportional bar and the table of phases.
fn breakdown(out: &mut String, inc: &Incident) {
    let rows = breakdown_rows(inc);
    let (Some(_), Some(total)) = (inc.rto_breakdown, inc.rto_us) else {
        return;
    };
    if rows.is_empty() {
        return;
    }
    out.push_str("<p><strong>Where the RTO went</strong> (the slowest client's critical path, measured)</p>\n");
    if total > 0 {
        out.push_str("<div class=\"bar\">");
        for seg in &inc.rto_path {
            let d = seg.to_us - seg.from_us;
            let pct = d as f64 * 100.0 / total as f64;
            put!(
                out,
                "<span style=\"width:{pct:.3}%;background:{}\" title=\"{}\"></span>",
                phase_color(seg.phase),
                crate::metrics::human_duration(d)
            );
        }
        out.push_str("</div>\n<p class=\"legend meta\">");
        let mut seen = Vec::new();
        for seg in &inc.rto_path {
            if seen.contains(&seg.phase) {
                continue;
            }
            seen.push(seg.phase);
            put!(
                out,
                "<span style=\"background:{}\"></span>{}",
                phase_color(seg.phase),
                esc(super::rows::phase_label(seg.phase))
            );
        }
        out.push_str("</p>\n");
    }
    out.push_str(
        "<table>\n<tr><th>Phase</th><th>From (s)</th><th>To (s)</th><th>Duration</th></tr>\n",
    );
    for [phase, from, to, d] in &rows {
        put!(
            out,
            "<tr><td>{}</td><td class=\"num\">{from}</td><td class=\"num\">{to}</td>\
             <td class=\"num\">{d}</td></tr>\n",
            esc(phase)
        );
    }
    out.push_str("</table>\n");
}

/// A two-column table of (label, value) rows.
/// The per-residency-range table (nothing without residency rules).
fn ranges(out: &mut String, rows: &[[String; 7]]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("<h3>By residency range</h3>\n<table>\n<tr>");
    for h in RANGE_HEADER {
        put!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr>\n");
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            put!(out, "<td>{}</td>", esc(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn table2(out: &mut String, rows: &[(String, String)]) {
    out.push_str("<table>\n");
    for (k, v) in rows {
        put!(out, "<tr><th>{}</th><td>{}</td></tr>\n", esc(k), esc(v));
    }
    out.push_str("</table>\n");
}

/// An SVG document as an inline element: HTML puts `<svg>` in the SVG
/// namespace by itself, so the namespace URL (the page's only URL) goes.
fn inline_svg(svg: &str) -> String {
    let body = svg.trim_start();
    let body = match body.find("<svg") {
        Some(i) => &body[i..],
        None => return String::new(),
    };
    body.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::all_charts;
    use crate::report::testutil::sample;

    #[test]
    fn self_contained_with_charts_inline() {
        let r = sample();
        let html = report_html(&r, &all_charts(&r));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<svg").count(), 4);
        for bad in [
            "http://", "https://", "<script", "<link", "src=", "@import", "url(",
        ] {
            assert!(!html.contains(bad), "contains {bad}");
        }
        for s in [
            "1 of 2 budgets breached",
            "<td class=\"num\">&lt;= 2m</td><td class=\"num\">1m 29.5s</td>",
            "Where the RTO went",
            "Detection: until",
            "health checks: us-east-1 unhealthy",
            "eu-west-1 promoted to primary at log position 1000: 43 writes of us-east-1 orphaned (28 acknowledged)",
        ] {
            assert!(html.contains(s), "missing {s}");
        }
    }

    #[test]
    fn escapes_text() {
        let mut r = sample();
        r.report.incidents[0].cause = "<b>&\"x\"</b>".into();
        let html = report_html(&r, &[]);
        assert!(html.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"));
        assert!(!html.contains("<b>&"));
    }
}
