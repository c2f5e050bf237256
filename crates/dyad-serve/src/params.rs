//! Query-string parameters: the filters of `dyad query`, paging, sorting. Unknown names and bad
//! values are refused with a message naming them.

use dyad_store::{Filter, Page, Period, SortKey};

/// Parameters that every filtered endpoint takes.
pub const FILTER_NAMES: [&str; 15] = [
    "from",
    "to",
    "source",
    "target",
    "country",
    "adm1",
    "near",
    "code",
    "root",
    "quad",
    "goldstein_min",
    "goldstein_max",
    "words",
    "url",
    "include_negated",
];

/// Paging and sorting of `GET /api/events`.
pub const PAGE_PARAMS: [&str; 4] = ["page", "per_page", "sort", "order"];

pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string, accepting only `filters` (when true) and `extra` names.
    pub fn parse(raw: Option<&str>, filters: bool, extra: &[&str]) -> Result<Params, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| format!("malformed query string: {e}"))?;
        for (i, (k, v)) in pairs.iter().enumerate() {
            let known =
                (filters && FILTER_NAMES.contains(&k.as_str())) || extra.contains(&k.as_str());
            if !known {
                let mut names: Vec<&str> = extra.to_vec();
                if filters {
                    names.extend(FILTER_NAMES);
                }
                return Err(format!(
                    "unknown parameter `{k}`; this endpoint takes: {}",
                    names.join(", ")
                ));
            }
            // `?include_negated` alone must not quietly read as false.
            if v.trim().is_empty() {
                return Err(format!(
                    "`{k}` has no value: give one, or leave the parameter out"
                ));
            }
            // Only `words` adds up; any other name twice would silently drop one value.
            if k != "words" && pairs[..i].iter().any(|(o, _)| o == k) {
                return Err(format!("`{k}` is given more than once"));
            }
        }
        Ok(Params(pairs))
    }

    /// The value of `name` (given at most once, never empty: see `parse`).
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }

    fn number<T: std::str::FromStr>(&self, name: &str, what: &str) -> Result<Option<T>, String> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("`{name}` must be {what}, not `{v}`"))
            })
            .transpose()
    }

    pub fn ranged(&self, name: &str, lo: u64, hi: u64, default: u64) -> Result<u64, String> {
        let what = format!("a whole number from {lo} to {hi}");
        let v = self.number::<u64>(name, &what)?.unwrap_or(default);
        if !(lo..=hi).contains(&v) {
            return Err(format!("`{name}` must be {what}, not `{v}`"));
        }
        Ok(v)
    }

    pub fn filter(&self) -> Result<Filter, String> {
        let text = |n: &str| self.get(n).map(str::to_string);
        for n in ["from", "to"] {
            if let Some(d) = self.get(n) {
                if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                    return Err(format!("`{n}` must be a date YYYY-MM-DD, not `{d}`"));
                }
            }
        }
        let quad = self.number::<u8>("quad", "a QuadClass from 1 to 4")?;
        if quad.is_some_and(|q| !(1..=4).contains(&q)) {
            return Err("`quad` must be a QuadClass from 1 to 4".into());
        }
        let goldstein = |n: &str| -> Result<Option<f64>, String> {
            let v = self.number::<f64>(n, "a number from -10 to 10")?;
            match v {
                Some(g) if !(-10.0..=10.0).contains(&g) => {
                    Err(format!("`{n}` must be a number from -10 to 10, not `{g}`"))
                }
                _ => Ok(v),
            }
        };
        let root = text("root");
        if let Some(r) = &root {
            if r.len() > 2 || !r.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`root` must be a CAMEO root code 01 to 20, not `{r}`"
                ));
            }
        }
        let include_negated = match self.get("include_negated") {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(v) => {
                return Err(format!(
                    "`include_negated` must be true or false, not `{v}`"
                ))
            }
        };
        let words = self
            .0
            .iter()
            .filter(|(k, _)| k == "words")
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Filter {
            from: text("from"),
            to: text("to"),
            source: text("source"),
            target: text("target"),
            country: text("country"),
            adm1: text("adm1"),
            near: text("near")
                .map(|n| dyad_store::Near::parse(&n).map_err(|e| e.to_string()))
                .transpose()?,
            code: text("code"),
            root,
            quad_class: quad,
            goldstein_min: goldstein("goldstein_min")?,
            goldstein_max: goldstein("goldstein_max")?,
            words,
            url: text("url"),
            include_negated,
            limit: None,
        })
    }

    pub fn page(&self) -> Result<(u64, Page), String> {
        let page = self.ranged("page", 1, 1_000_000, 1)?;
        let per_page = self.ranged("per_page", 1, 500, 50)?;
        let sort = match self.get("sort") {
            None => SortKey::Id,
            Some(s) => SortKey::parse(s).ok_or_else(|| {
                format!(
                    "`sort` must be one of {}, not `{s}`",
                    SortKey::NAMES.join(", ")
                )
            })?,
        };
        let descending = match self.get("order") {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(o) => return Err(format!("`order` must be asc or desc, not `{o}`")),
        };
        Ok((
            page,
            Page {
                offset: (page - 1) * per_page,
                limit: per_page,
                sort,
                descending,
            },
        ))
    }

    pub fn period(&self) -> Result<Period, String> {
        match self.get("by") {
            None | Some("day") => Ok(Period::Day),
            Some("month") => Ok(Period::Month),
            Some(b) => Err(format!("`by` must be day or month, not `{b}`")),
        }
    }

    pub fn limit(&self, default: u64) -> Result<u64, String> {
        self.ranged("limit", 1, 500, default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_paging_parse() {
        let p = Params::parse(
            Some("source=RUS*&words=attack,Kyiv&words=drone&quad=4&page=3&per_page=20&sort=date&order=desc"),
            true,
            &PAGE_PARAMS,
        )
        .unwrap();
        let f = p.filter().unwrap();
        assert_eq!(f.source.as_deref(), Some("RUS*"));
        assert_eq!(f.words, ["attack", "Kyiv", "drone"]);
        assert_eq!(f.quad_class, Some(4));
        let (page, pg) = p.page().unwrap();
        assert_eq!(
            (page, pg.offset, pg.limit, pg.sort, pg.descending),
            (3, 40, 20, SortKey::Date, true)
        );
    }

    #[test]
    fn bad_values_are_named() {
        let err = |q: &str| {
            let p = Params::parse(Some(q), true, &[&PAGE_PARAMS[..], &["by"]].concat())?;
            p.filter()?;
            p.page()?;
            p.period()?;
            Ok::<(), String>(())
        };
        for (q, needle) in [
            ("from=2024-13-01", "`from`"),
            ("quad=5", "`quad`"),
            ("quad=x", "`quad`"),
            ("goldstein_min=-11", "`goldstein_min`"),
            ("root=abc", "`root`"),
            ("page=0", "`page`"),
            ("per_page=100000", "`per_page`"),
            ("sort=name", "`sort`"),
            ("order=up", "`order`"),
            ("by=year", "`by`"),
            ("include_negated=maybe", "`include_negated`"),
            ("colour=red", "unknown parameter `colour`"),
            ("from=%ZZ%", "`from`"),
            ("include_negated", "`include_negated` has no value"),
            ("include_negated=", "`include_negated` has no value"),
            ("source=", "`source` has no value"),
            ("page=1&page=2", "`page` is given more than once"),
            ("source=RUS&source=USA", "`source` is given more than once"),
        ] {
            let e = err(q).unwrap_err();
            assert!(e.contains(needle), "{q}: {e}");
        }
    }
}
