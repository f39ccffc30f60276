//! Synthetic burnrate sites for benchmarks: N sections of about 600 words of mixed Chinese and
//! English (headings, a list, a table, links, emphasis, a footnote and fact references), N/10
//! company files with facts of every qualifier and unit, N/100 chart files, one stand-alone page,
//! and the repository's real `templates/` and `static/`, so every page type and chart is
//! exercised.
//!
//! The content is a pure function of the options: the same seed gives the same bytes.
//! [`generate_for`] writes the equivalent Hugo or Zola site from the same sections, so the
//! comparison with those tools is reproducible from this repository.

#![allow(dead_code)] // Shared by the example and the benchmark, which use different parts.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of sections (N).
    pub sections: usize,
    /// Number of company files; N/10 (at least 2) when `None`.
    pub companies: Option<usize>,
    /// Approximate words per section body.
    pub words: usize,
    /// Content seed: the same seed gives the same site.
    pub seed: u64,
    /// Where the real `templates/` and `static/` are copied from.
    pub assets: PathBuf,
}

impl Options {
    /// N sections with the defaults: 600 words, seed 1, this repository's templates.
    pub fn new(sections: usize) -> Self {
        Options {
            sections,
            companies: None,
            words: 600,
            seed: 1,
            assets: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        }
    }

    fn company_count(&self) -> usize {
        self.companies.unwrap_or(self.sections / 10).max(2)
    }

    fn chart_count(&self) -> usize {
        (self.sections / 100).max(1)
    }
}

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub sections: usize,
    pub companies: usize,
    pub charts: usize,
    pub facts: usize,
    pub words: usize,
}

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, kind: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.rotate_left(32));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const EN_WORDS: &[&str] = &[
    "revenue",
    "growth",
    "market",
    "customer",
    "platform",
    "product",
    "funding",
    "round",
    "investor",
    "series",
    "seed",
    "strategy",
    "pricing",
    "margin",
    "quarter",
    "annual",
    "report",
    "team",
    "engineering",
    "hiring",
    "expansion",
    "region",
    "partner",
    "channel",
    "enterprise",
    "startup",
    "cloud",
    "data",
    "model",
    "analytics",
    "pipeline",
    "latency",
    "cost",
    "efficiency",
    "runway",
    "burn",
    "valuation",
    "equity",
    "debt",
    "cash",
    "flow",
    "forecast",
    "target",
    "segment",
    "retention",
    "churn",
    "acquisition",
    "onboarding",
    "support",
    "roadmap",
    "release",
    "feature",
    "security",
    "compliance",
    "audit",
    "infrastructure",
    "network",
    "storage",
    "compute",
    "inference",
    "training",
    "dataset",
    "benchmark",
    "throughput",
    "supply",
    "chain",
    "logistics",
    "hardware",
    "software",
    "license",
    "subscription",
    "contract",
    "renewal",
    "demand",
    "signal",
    "trend",
    "risk",
    "opportunity",
    "board",
    "founder",
    "leadership",
    "operations",
    "finance",
    "legal",
    "marketing",
    "sales",
    "brand",
    "community",
    "developer",
    "api",
    "integration",
    "ecosystem",
    "scale",
    "global",
    "chip",
    "memory",
    "capacity",
    "order",
];
const EN_GLUE: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "for", "with", "on", "by", "from", "at", "as", "is",
    "was", "are", "will", "has", "that", "this",
];
const ZH_WORDS: &[&str] = &[
    "公司", "市场", "营收", "增长", "融资", "投资", "客户", "产品", "平台", "战略", "团队", "工程",
    "研发", "扩张", "区域", "合作", "渠道", "企业", "数据", "模型", "分析", "成本", "效率", "估值",
    "股权", "现金", "预测", "目标", "留存", "获客", "支持", "路线", "发布", "功能", "安全", "合规",
    "审计", "基础", "网络", "存储", "计算", "推理", "训练", "供应", "物流", "制造", "硬件", "软件",
    "许可", "订阅", "合同", "续约", "需求", "趋势", "风险", "机会", "董事", "创始", "管理", "运营",
    "财务", "法务", "营销", "销售", "品牌", "社区", "开源", "生态", "规模", "全球", "本地", "芯片",
    "季度", "年度", "报告", "利润", "毛利", "亏损", "盈利", "上市", "并购", "政策", "监管", "用户",
];
const ZH_GLUE: &[&str] = &[
    "的", "了", "在", "和", "与", "对", "将", "已", "并", "也", "从", "为", "是", "有",
];
const CO_PREFIX_ZH: &[&str] = &[
    "星海", "云图", "天工", "极光", "蓝鲸", "青松", "万象", "光年", "深度", "远航", "赤兔", "白泽",
    "玄武", "朱雀", "麒麟", "鲲鹏",
];
const CO_SUFFIX_EN: &[&str] = &[
    "Robotics",
    "Energy",
    "Cloud",
    "Labs",
    "Systems",
    "Semiconductor",
    "Motors",
    "Analytics",
    "Networks",
    "Biotech",
    "Logistics",
    "Materials",
    "Devices",
    "Software",
    "Aerospace",
    "Foods",
];
const SOURCES: &[&str] = &[
    "公司年报",
    "公司发言人",
    "知情人士",
    "投资银行分析师",
    "数据库分析平台Pitchbook",
    "监管文件",
];

/// Slug of company `j`.
pub fn company_slug(j: usize) -> String {
    format!("c{j:05}")
}

/// File name of section `i` (0-based).
pub fn section_file(i: usize) -> String {
    format!("{:05}-s{i:05}.md", i + 1)
}

/// `YYYY-MM-DD` of the day `days` after 2015-01-01.
fn date(days: u64) -> String {
    // Civil-from-days (Howard Hinnant), from 1970-01-01.
    let z = days as i64 + 16_436 + 719_468; // 2015-01-01 is day 16436.
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

struct Company {
    slug: String,
    name: String,
    original: String,
}

fn company(seed: u64, j: usize) -> Company {
    let mut r = Rng::new(seed, 1, j as u64);
    let zh = r.pick(CO_PREFIX_ZH);
    let en = r.pick(CO_SUFFIX_EN);
    Company {
        slug: company_slug(j),
        name: format!("{zh}{en} {j}"),
        original: format!("{zh} {en} {j}"),
    }
}

/// The YAML of company `j`: funding, revenue, spending, headcount and a price, with a mix of
/// qualifiers; every company has at least two dollar figures, so each gets its own chart.
fn company_yaml(seed: u64, j: usize) -> (String, usize) {
    let c = company(seed, j);
    let mut r = Rng::new(seed, 2, j as u64);
    let mut y = String::new();
    let _ = write!(
        y,
        "name:\n  zh: {}\n  original: {}\ndescription: {}的{}与{}业务，总部位于{}。\nkind: company\nfacts:\n",
        c.name,
        c.original,
        c.name,
        r.pick(ZH_WORDS),
        r.pick(ZH_WORDS),
        r.pick(&["北京", "上海", "深圳", "旧金山", "伦敦", "新加坡"]),
    );
    let source = |r: &mut Rng, y: &mut String| {
        let who = r.pick(SOURCES);
        let day = r.range(3000, 3400);
        let _ = write!(
            y,
            "    as_of: {d}\n    source:\n      who: {who}\n      via: 合成基准测试报道\n      date: {d}\n      url: https://example.com/{}/report-{day}\n",
            c.slug,
            d = date(day),
        );
    };
    let money = |r: &mut Rng, lo: u64, hi: u64| r.range(lo, hi) / 1_000_000 * 1_000_000;
    let mut facts = 0;
    // Funding: more than / about / exact.
    let q = r.pick(&["more_than", "about", "exact"]);
    let v = money(&mut r, 10_000_000, 5_000_000_000);
    let _ = write!(
        y,
        "  funding_total:\n    metric: funding\n    qualifier: {q}\n    value: {v}\n    unit: usd\n    period: 截至2024年（累计）\n"
    );
    source(&mut r, &mut y);
    facts += 1;
    // Revenue: a range or an exact figure.
    if r.chance(0.3) {
        let low = money(&mut r, 1_000_000, 500_000_000);
        let high = low + money(&mut r, 1_000_000, 200_000_000);
        let _ = write!(
            y,
            "  revenue_2023:\n    metric: revenue\n    qualifier: range\n    low: {low}\n    high: {high}\n    unit: usd\n    period: 2023年\n"
        );
    } else {
        let v = money(&mut r, 1_000_000, 2_000_000_000);
        let _ = write!(
            y,
            "  revenue_2023:\n    metric: revenue\n    value: {v}\n    unit: usd\n    period: 2023年\n"
        );
    }
    source(&mut r, &mut y);
    facts += 1;
    // Spending: up to, several, or undisclosed.
    match r.range(0, 2) {
        0 => {
            let v = money(&mut r, 1_000_000, 1_500_000_000);
            let _ = write!(
                y,
                "  spending_2023:\n    metric: spending\n    qualifier: up_to\n    value: {v}\n    unit: usd\n    period: 2023年\n"
            );
        }
        1 => {
            let v = 10u64.pow(r.range(6, 9) as u32);
            let _ = write!(
                y,
                "  spending_2023:\n    metric: spending\n    qualifier: several\n    value: {v}\n    unit: usd\n    period: 2023年\n"
            );
        }
        _ => {
            let _ = write!(
                y,
                "  spending_2023:\n    metric: spending\n    qualifier: undisclosed\n    unit: usd\n    period: 2023年\n"
            );
        }
    }
    source(&mut r, &mut y);
    y.push_str("    note: 合成数据，仅用于基准测试。\n");
    facts += 1;
    // Headcount and a subscription price.
    let v = r.range(10, 20_000);
    let _ = write!(
        y,
        "  founders:\n    metric: founders\n    qualifier: about\n    value: {v}\n    unit: people\n    period: 2024年\n"
    );
    source(&mut r, &mut y);
    let v = r.range(5, 60);
    let _ = write!(
        y,
        "  price:\n    metric: price\n    value: {v}\n    unit: usd_per_month\n    period: 2024年\n"
    );
    source(&mut r, &mut y);
    facts += 2;
    (y, facts)
}

/// Deterministic mixed Chinese and English prose that counts its words (an English word or a
/// Chinese term each count one).
struct Body<'a> {
    r: Rng,
    words: usize,
    /// Fact references this section may use.
    refs: &'a [String],
}

impl Body<'_> {
    fn sentence(&mut self) -> String {
        if self.r.chance(0.5) {
            self.en_sentence(8, 16)
        } else {
            self.zh_sentence(6, 12)
        }
    }

    fn en_sentence(&mut self, lo: u64, hi: u64) -> String {
        let n = self.r.range(lo, hi) as usize;
        let mut s = String::new();
        for k in 0..n {
            let w = if self.r.chance(0.7) {
                self.r.pick(EN_WORDS)
            } else {
                self.r.pick(EN_GLUE)
            };
            if k == 0 {
                let mut cs = w.chars();
                if let Some(first) = cs.next() {
                    s.extend(first.to_uppercase());
                    s.push_str(cs.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        self.words += n;
        s.push('.');
        s
    }

    fn zh_sentence(&mut self, lo: u64, hi: u64) -> String {
        let n = self.r.range(lo, hi) as usize;
        let mut s = String::new();
        for _ in 0..n {
            let x = self.r.range(0, 99);
            if x < 12 {
                // An English term inside Chinese, as in real mixed-language writing.
                s.push(' ');
                s.push_str(self.r.pick(EN_WORDS));
                s.push(' ');
            } else if x < 35 {
                s.push_str(self.r.pick(ZH_WORDS));
                s.push_str(self.r.pick(ZH_GLUE));
            } else if x < 38 {
                // Emphasis next to Chinese punctuation, the CJK-friendly case.
                let _ = write!(s, "**“{}”**", self.r.pick(ZH_WORDS));
            } else if x < 41 && !self.refs.is_empty() {
                let i = (self.r.next() % self.refs.len() as u64) as usize;
                let _ = write!(s, "[[{}]]", self.refs[i]);
            } else {
                s.push_str(self.r.pick(ZH_WORDS));
            }
        }
        self.words += n;
        let mut s = s.replace("  ", " ").trim().to_string();
        s.push('。');
        s
    }

    fn paragraph(&mut self, sentences: usize) -> String {
        let parts: Vec<String> = (0..sentences).map(|_| self.sentence()).collect();
        parts.join(" ")
    }

    fn fill(&mut self, target: usize) -> String {
        let mut parts = Vec::new();
        while self.words < target {
            parts.push(self.sentence());
        }
        parts.join(" ")
    }
}

/// Section `i` (0-based): front matter and a body of about `words` words.
fn section_md(o: &Options, i: usize) -> (String, usize) {
    let n_companies = o.company_count();
    let mut r = Rng::new(o.seed, 3, i as u64);
    let main = i % n_companies;
    let other = (i * 7 + 3) % n_companies;
    let c = company(o.seed, main);
    let slugs = if other == main {
        vec![company_slug(main)]
    } else {
        vec![company_slug(main), company_slug(other)]
    };
    let refs: Vec<String> = slugs
        .iter()
        .flat_map(|s| {
            [
                "funding_total",
                "revenue_2023",
                "spending_2023",
                "founders",
                "price",
            ]
            .map(|f| format!("{s}/{f}"))
        })
        .collect();
    let day = (i as u64 * 97) / (24 * 60);
    let title = format!(
        "{} {}{} {} #{i}",
        c.name,
        r.pick(ZH_WORDS),
        r.pick(ZH_WORDS),
        r.pick(EN_WORDS)
    );
    let mut md = String::new();
    let _ = write!(
        md,
        "---\ntitle: \"{title}\"\nsummary: 第{n}章：{}与{}的{}分析。\norder: {n}\ndate: {}\n",
        r.pick(ZH_WORDS),
        r.pick(ZH_WORDS),
        r.pick(ZH_WORDS),
        date(day),
        n = i + 1,
    );
    if i % 7 == 3 {
        let _ = writeln!(md, "updated: {}", date(day + 30));
    }
    let _ = writeln!(md, "companies: [{}]", slugs.join(", "));
    if i.is_multiple_of(2) {
        let _ = writeln!(md, "charts: [chart-{:03}]", (i / 2) % o.chart_count());
    }
    // One section in a hundred is a draft: checked, not published.
    let _ = writeln!(md, "draft: {}\n---", i % 100 == 99);

    let mut b = Body {
        r: Rng::new(o.seed, 4, i as u64),
        words: 0,
        refs: &refs,
    };
    let mut blocks: Vec<String> = Vec::new();
    blocks.push(format!(
        "{} 据报道，{}的融资额为[[{}/funding_total]]。",
        b.paragraph(3),
        c.name,
        c.slug
    ));
    blocks.push("## Overview 概述".into());
    blocks.push(b.paragraph(4));
    let items: Vec<String> = (0..6)
        .map(|k| {
            let s = if k % 2 == 0 {
                b.en_sentence(4, 9)
            } else {
                b.zh_sentence(3, 7)
            };
            format!("- {s}")
        })
        .collect();
    blocks.push(items.join("\n"));
    blocks.push("## Financials 财务数据".into());
    let first = b.paragraph(2);
    let second = b.paragraph(2);
    b.words += 6;
    blocks.push(format!(
        "{first} See [{} 官方报告](https://example.com/{}/report-{i}) 与[公司页面](../../companies/{}/)。{second}[^1]",
        c.name, c.slug, c.slug
    ));
    let mut table = vec![
        "| Metric 指标 | 数值 | Note 备注 |".to_string(),
        "|---|---:|---|".to_string(),
    ];
    for (label, fact) in [
        ("Funding 融资", "funding_total"),
        ("Revenue 营收", "revenue_2023"),
        ("Spend 支出", "spending_2023"),
        ("Founders 创始人", "founders"),
    ] {
        let note = b.zh_sentence(2, 4);
        table.push(format!("| {label} | [[{}/{fact}]] | {note} |", c.slug));
    }
    b.words += 12;
    blocks.push(table.join("\n"));
    blocks.push("### Details 细节".into());
    let target = b.words + 120;
    blocks.push(b.fill(target));
    blocks.push("## Outlook 展望".into());
    blocks.push(b.fill(o.words.saturating_sub(80)));
    blocks.push("## Notes 备注".into());
    blocks.push(b.fill(o.words));
    blocks.push(format!("[^1]: 数据来自{}的公开报告。", c.name));
    md.push_str(&blocks.join("\n\n"));
    md.push('\n');
    (md, b.words)
}

/// Chart `k`: funding against revenue for four companies, in turn as dots on a log scale with
/// their multiples, as multiples, and as bars.
fn chart_yaml(o: &Options, k: usize) -> String {
    let n = o.company_count();
    let kind = [
        "kind: dots\nscale: log\nseries: [融资额, 营收]\nmultiple: true",
        "kind: multiples\nseries: [融资额是营收的几倍]",
        "kind: bars\nseries: [融资额, 营收]",
    ][k % 3];
    let mut y = format!(
        "title: 融资与营收（第{}组）\ndescription: 四家公司的融资额与2023年营收对比。\n{kind}\nrows:\n",
        k + 1
    );
    for m in 0..4 {
        let j = (k * 4 + m) % n;
        let c = company(o.seed, j);
        let _ = write!(
            y,
            "  - label: {}\n    facts: [{s}/funding_total, {s}/revenue_2023]\n",
            c.name,
            s = c.slug
        );
    }
    y
}

fn site_yaml() -> String {
    "title: 合成基准站点：AI初创公司的资金困局
description: 用于衡量 burnrate 构建速度的合成站点，章节与公司数据由生成器写出。
lead: 这是一个由基准生成器写出的站点，结构与真实站点相同：章节、公司、图表与数据下载。
language: zh-CN
base_url: https://example.org/bench/
publisher: burnrate 基准测试
published: 2024-05-06
updated: 2024-05-07
headline_chart: chart-000
key_numbers:
  - c00000/funding_total
  - c00000/revenue_2023
  - c00001/spending_2023
  - c00001/founders
source_article:
  title: 合成报道
  date: 2024-05-04
  publisher: 基准测试媒体
"
    .to_string()
}

fn page_md() -> String {
    "---
title: 来源与方法
summary: 合成站点的数据从哪里来。
---
## 来源

本站全部数字由基准生成器写出，例如[[c00000/funding_total]]与[[c00001/revenue_2023]]。

- **限定词**：原样保留。
- **单位**：金额一律以美元记录。

## 更正

发现错误请联系编辑部。
"
    .to_string()
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Writes the site into `out` (deleted first if it exists).
pub fn generate(out: &Path, o: &Options) -> io::Result<Stats> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    let content = out.join("content");
    fs::create_dir_all(&content)?;
    for dir in ["templates", "static"] {
        fs::create_dir_all(out.join(dir))?;
        copy_tree(&o.assets.join(dir), &out.join(dir))?;
    }
    write(&content.join("site.yaml"), &site_yaml())?;
    write(&content.join("pages/method.md"), &page_md())?;
    let n_companies = o.company_count();
    let mut facts = 0;
    for j in 0..n_companies {
        let (yaml, n) = company_yaml(o.seed, j);
        facts += n;
        write(
            &content.join(format!("companies/{}.yaml", company_slug(j))),
            &yaml,
        )?;
    }
    for k in 0..o.chart_count() {
        write(
            &content.join(format!("charts/chart-{k:03}.yaml")),
            &chart_yaml(o, k),
        )?;
    }
    let mut words = 0;
    for i in 0..o.sections {
        let (md, n) = section_md(o, i);
        words += n;
        write(&content.join("sections").join(section_file(i)), &md)?;
    }
    Ok(Stats {
        sections: o.sections,
        companies: n_companies,
        charts: o.chart_count(),
        facts,
        words,
    })
}

/// The other static site generators an equivalent site can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Hugo,
    Zola,
}

impl Tool {
    /// `hugo` or `zola`.
    pub fn parse(name: &str) -> Option<Tool> {
        match name {
            "hugo" => Some(Tool::Hugo),
            "zola" => Some(Tool::Zola),
            _ => None,
        }
    }
}

/// Writes into `out` (deleted first if it exists) the site [`generate`] writes, for `tool`: the
/// same sections (title, summary, date, draft, body) in that tool's front matter, fact
/// references replaced by the figure's text, and a minimal layout of a home page listing every
/// section, a section list and a section page. Returns the number of sections.
pub fn generate_for(tool: Tool, out: &Path, o: &Options) -> io::Result<usize> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    let content = out.join("content/sections");
    let (layout, config) = match tool {
        Tool::Hugo => (
            [
                ("layouts/index.html", HUGO_HOME),
                ("layouts/_default/list.html", HUGO_HOME),
                ("layouts/_default/single.html", HUGO_PAGE),
            ],
            "baseURL = \"https://example.org/bench/\"\nlanguageCode = \"zh-CN\"\ntitle = \"合成基准站点\"\n\
             disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n",
        ),
        Tool::Zola => (
            [
                ("templates/index.html", ZOLA_HOME),
                ("templates/section.html", ZOLA_HOME),
                ("templates/page.html", ZOLA_PAGE),
            ],
            "base_url = \"https://example.org/bench/\"\ntitle = \"合成基准站点\"\n\
             default_language = \"zh\"\n",
        ),
    };
    write(
        &out.join(if tool == Tool::Hugo {
            "hugo.toml"
        } else {
            "config.toml"
        }),
        config,
    )?;
    for (path, text) in layout {
        write(&out.join(path), text)?;
    }
    if tool == Tool::Zola {
        write(
            &content.join("_index.md"),
            "+++\ntitle = \"章节\"\nsort_by = \"weight\"\n+++\n",
        )?;
    }
    for i in 0..o.sections {
        let (md, _) = section_md(o, i);
        let (front, body) = md[4..].split_once("\n---\n").unwrap_or(("", &md));
        let field = |name: &str| {
            front
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or("")
                .trim_matches('"')
                .to_string()
        };
        let (title, summary, date) = (field("title"), field("summary"), field("date"));
        let draft = field("draft") == "true";
        let front = match tool {
            Tool::Hugo => format!(
                "---\ntitle: \"{title}\"\ndescription: \"{summary}\"\ndate: {date}\nweight: {w}\ndraft: {draft}\n---\n",
                w = i + 1
            ),
            Tool::Zola => format!(
                "+++\ntitle = \"{title}\"\ndescription = \"{summary}\"\ndate = {date}\nweight = {w}\ndraft = {draft}\n+++\n",
                w = i + 1
            ),
        };
        write(
            &content.join(section_file(i)),
            &format!("{front}{}", figures_as_text(body)),
        )?;
    }
    Ok(o.sections)
}

/// `body` with each fact reference `[[company/fact]]` replaced by a figure as text.
fn figures_as_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("[[") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find("]]") else {
            rest = &rest[at..];
            break;
        };
        out.push_str("约12亿美元");
        rest = &rest[at + end + 2..];
    }
    out.push_str(rest);
    out
}

const HUGO_HOME: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n<body><h1>{{ .Site.Title }}</h1><ol>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ol></body></html>\n";
const HUGO_PAGE: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title><meta name=\"description\" content=\"{{ .Description }}\"></head>\n<body><article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>{{ .TableOfContents }}{{ .Content }}</article>\n<nav>{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav></body></html>\n";
const ZOLA_HOME: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ config.title }}</title></head>\n<body><h1>{{ config.title }}</h1><ol>{% set s = get_section(path=\"sections/_index.md\") %}{% for p in s.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.description }}</li>{% endfor %}</ol></body></html>\n";
const ZOLA_PAGE: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title><meta name=\"description\" content=\"{{ page.description }}\"></head>\n<body><article><h1>{{ page.title }}</h1><time>{{ page.date }}</time>{% for h in page.toc %}<a href=\"{{ h.permalink }}\">{{ h.title }}</a>{% endfor %}{{ page.content | safe }}</article>\n<nav>{% if page.lower %}<a href=\"{{ page.lower.permalink }}\">{{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a href=\"{{ page.higher.permalink }}\">{{ page.higher.title }}</a>{% endif %}</nav></body></html>\n";
