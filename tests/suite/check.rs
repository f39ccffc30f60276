//! `burnrate check`: each kind of problem found in one run, nothing written, exit 0 when clean.

use crate::common::fixture;

#[test]
fn a_clean_site_passes_and_lists_external_links() {
    let site = fixture("minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "external links (listed, not fetched):\n  https://example.com/report\nno problems found\n"
    );
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn every_kind_of_problem_is_reported_in_one_run() {
    let site = fixture("minimal");
    site.write(
        "content/sections/03-market.md",
        "---\ntitle: 市场\nsummary: 整体市场的规模。\norder: 3\ndate: 2024-05-06\ncompanies: [market]\n---\n\
         三年间共有[[market/startups]]初创公司获得投资，总额3300亿美元，是上一期的1.7倍。\n\n\
         见[方法](../../method/#nowhere)、[图](../../charts/none.svg)和![图](missing.png)。\n",
    );
    site.write(
        "templates/404.html",
        site.read("templates/404.html")
            .replace("{{ site.base_path }}\">", "{{ site.base_path }}gone/\">"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/sections/03-market.md:8:36: figure \"3300亿美元\" is typed by hand; write [[market/venture]] so it follows the facts\n\
         content/sections/03-market.md:8:49: multiple or share \"1.7倍\" is typed by hand; compute it from the facts with a reference such as [[company/fact / company/fact]]\n\
         content/sections/03-market.md:10:2: link ../../method/#nowhere: method/index.html has no element with id \"nowhere\"\n\
         content/sections/03-market.md:10:30: link ../../charts/none.svg points to charts/none.svg, which the site does not have\n\
         content/sections/03-market.md:10:57: link missing.png points to sections/market/missing.png, which the site does not have\n\
         templates/404.html:6:35: link /mini/gone/ points to gone/index.html, which the site does not have\n\
         6 problems found\n"
    );
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn validation_problems_are_reported_too() {
    let site = fixture("minimal");
    site.write(
        "content/sections/01-intro.md",
        site.read("content/sections/01-intro.md")
            .replace("[[alpha/revenue]]", "[[alpha/nope]]"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("fact reference [[alpha/nope]]: alpha has no fact \"nope\""),
        "{}",
        run.stderr
    );
}

#[test]
fn scripts_handlers_and_script_links_are_reported_where_written() {
    let site = fixture("minimal");
    site.write(
        "content/pages/method.md",
        "---\ntitle: 来源与方法\nsummary: 数字从哪里来。\n---\n\
         <script>alert(1)</script>\n\n\
         <p onclick=\"x()\">段落</p>\n\n\
         见[报告](JaVaScRiPt:alert(1))、[编码](&#106;avascript:alert(1))、[空格](< \t javascript:x>)和![图](data:image/png;base64,AA==)。\n\n\
         营收![[alpha/revenue]]。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    let script =
        "which would run a script in the reader's browser; link to an https:// address instead";
    assert_eq!(
        run.stderr,
        format!(
            "content/pages/method.md:5:1: <script> is not allowed: pages are published without scripts; remove it (a chart goes in charts: in the front matter)\n\
             content/pages/method.md:7:4: onclick= is not allowed: it would run a script, and pages are published without scripts; remove the attribute\n\
             content/pages/method.md:9:2: the address of this link starts with javascript:, {script}\n\
             content/pages/method.md:9:28: the address of this link starts with javascript:, {script}\n\
             content/pages/method.md:9:59: the address of this link starts with javascript:, {script}\n\
             content/pages/method.md:9:83: the address of this image starts with data:, which puts a whole file inside the page; save the file under static/ and link to it instead\n\
             content/pages/method.md:11:3: ![[alpha/revenue]]: a fact cannot be shown as an image; remove the ! and write [[alpha/revenue]] to show the figure\n\
             7 problems found\n"
        )
    );
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn figures_typed_with_full_width_digits_or_spaces_are_found() {
    let site = fixture("minimal");
    site.write(
        "content/sections/03-market.md",
        "---\ntitle: 市场\nsummary: 整体市场的规模。\norder: 3\ndate: 2024-05-06\ncompanies: [market]\n---\n\
         投资总额３３００亿美元，即330000000000 美元，涉及2.6 万家公司。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/sections/03-market.md:8:5: figure \"３３００亿美元\" is typed by hand; write [[market/venture]] so it follows the facts\n\
         content/sections/03-market.md:8:14: figure \"330000000000 美元\" is typed by hand; write [[market/venture]] so it follows the facts\n\
         content/sections/03-market.md:8:32: figure \"2.6 万家\" is typed by hand; write [[market/startups]] so it follows the facts\n\
         3 problems found\n"
    );
}

/// A server on 127.0.0.1 that answers `/live` 200, `/dead` 404, `/gone` 410, `/forbidden`
/// 403 and `/slow` after 3 s; it serves at most `n` connections, then stops.
fn link_server(n: usize) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n).flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                reader.read_line(&mut request).ok();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split(' ').nth(1).unwrap_or("");
                let status = match path {
                    "/live" => "200 OK",
                    "/dead" => "404 Not Found",
                    "/gone" => "410 Gone",
                    "/forbidden" => "403 Forbidden",
                    _ => {
                        std::thread::sleep(std::time::Duration::from_secs(3));
                        "200 OK"
                    }
                };
                let _ = write!(
                    &stream,
                    "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
            });
        }
    });
    port
}

#[test]
fn external_links_are_fetched_and_only_dead_ones_are_problems() {
    let site = fixture("minimal");
    let port = link_server(20);
    let base = format!("http://127.0.0.1:{port}");
    let alpha = "content/companies/alpha.yaml";
    site.write(
        alpha,
        site.read(alpha)
            .replace("https://example.com/report", &format!("{base}/dead")),
    );
    let intro = "content/sections/01-intro.md";
    site.write(
        intro,
        format!(
            "{}\n[在线]({base}/live)、[已删]({base}/gone)、[慢]({base}/slow)、[拒绝]({base}/forbidden)、[无人]({})\n",
            site.read(intro),
            "http://127.0.0.1:1/x"
        ),
    );
    // Without --external nothing is fetched.
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("external links (listed, not fetched):\n")
    );
    let run = site.run(&["check", "--external", "--timeout", "1"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let gone = format!("[在线]({base}/live)、").chars().count() + 1;
    assert_eq!(
        run.stderr,
        format!(
            "content/companies/alpha.yaml:49:12: link {base}/dead is dead (its server answered 404); replace it with a working address, or an archived copy\n\
             content/sections/01-intro.md:15:{gone}: link {base}/gone is dead (its server answered 410); replace it with a working address, or an archived copy\n\
             2 problems found\n"
        )
    );
    assert!(
        run.stdout.starts_with(&format!(
            "external links: 6 fetched, 2 dead, 3 could not be confirmed\n\
             could not be confirmed (not counted as problems; try again later):\n  \
             http://127.0.0.1:1/x: could not be fetched (io: Connection refused (os error 111))\n  \
             {base}/forbidden: the server answered 403\n  \
             {base}/slow: no answer within 1 s\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_percent_sign_before_chinese_is_reported_not_a_crash() {
    let site = fixture("minimal");
    let intro = "content/sections/01-intro.md";
    site.write(
        intro,
        format!(
            "{}\n见[链接](/mini/%中文/)和[另一个](%E4%B8)。\n",
            site.read(intro)
        ),
    );
    let line = site.read(intro).lines().count();
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "content/sections/01-intro.md:{line}:2: link /mini/%中文/: \"%中文\" is not a percent \
             escape (% and two hex digits, such as %20); write the characters themselves, or %25 \
             for a percent sign\n\
             content/sections/01-intro.md:{line}:19: link %E4%B8: its percent escapes do not spell \
             UTF-8 text; write the characters themselves\n\
             2 problems found\n"
        )
    );
    // build does not check links, and accepts the site.
    assert_eq!(site.run(&["build"]).code, Some(0));
}
