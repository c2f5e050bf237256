//! GDELT event records as a Parquet dataset partitioned by event date (`year=YYYY/month=MM/`),
//! typed columns, zstd, readable by DuckDB, pyarrow and Spark without options.
//!
//! Columns are GDELT's 61 in GDELT's order, named in snake_case (`global_event_id`, `sql_date`,
//! `actor1_code`, ...), plus `event_date` (a DATE). `Year` is not stored in the files: it is the
//! `year` partition key (readers add `year` and `month` columns from the directory names, and a
//! file column of the same name would clash with them). Unknown values are NULL. Events without a
//! date have no partition and are left out (counted in [`ParquetSummary::undated`]).

use crate::records::{days_from_civil, EventRecord};
use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::Type;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The type of a column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    I32,
    I64,
    F64,
    Str,
    Date,
}

/// One value of a column; a date is days since 1970-01-01 in `I32`.
pub enum Val<'a> {
    Null,
    I32(i32),
    I64(i64),
    F64(f64),
    Str(&'a str),
}

/// Reads a column's value from a record.
pub type Getter = for<'a> fn(&'a EventRecord) -> Val<'a>;

fn opt_str(s: &str) -> Val<'_> {
    if s.is_empty() {
        Val::Null
    } else {
        Val::Str(s)
    }
}

macro_rules! actor_cols {
    ($a:ident, $p:literal) => {
        [
            (
                concat!($p, "_code"),
                Kind::Str,
                false,
                (|r| opt_str(&r.$a.code)) as Getter,
            ),
            (concat!($p, "_name"), Kind::Str, false, |r| {
                opt_str(&r.$a.name)
            }),
            (concat!($p, "_country_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.country_code)
            }),
            (concat!($p, "_known_group_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.known_group_code)
            }),
            (concat!($p, "_ethnic_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.ethnic_code)
            }),
            (concat!($p, "_religion1_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.religion1_code)
            }),
            (concat!($p, "_religion2_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.religion2_code)
            }),
            (concat!($p, "_type1_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.type1_code)
            }),
            (concat!($p, "_type2_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.type2_code)
            }),
            (concat!($p, "_type3_code"), Kind::Str, false, |r| {
                opt_str(&r.$a.type3_code)
            }),
        ]
    };
}

macro_rules! geo_cols {
    ($p:literal, $g:ident) => {
        [
            (
                concat!($p, "_type"),
                Kind::I32,
                false,
                (|r| match r.$g.geo_type {
                    0 => Val::Null,
                    t => Val::I32(i32::from(t)),
                }) as Getter,
            ),
            (concat!($p, "_full_name"), Kind::Str, false, |r| {
                opt_str(&r.$g.full_name)
            }),
            (concat!($p, "_country_code"), Kind::Str, false, |r| {
                opt_str(&r.$g.country_code)
            }),
            (concat!($p, "_adm1_code"), Kind::Str, false, |r| {
                opt_str(&r.$g.adm1_code)
            }),
            (concat!($p, "_adm2_code"), Kind::Str, false, |r| {
                opt_str(&r.$g.adm2_code)
            }),
            (concat!($p, "_lat"), Kind::F64, false, |r| {
                r.$g.lat.map_or(Val::Null, Val::F64)
            }),
            (concat!($p, "_long"), Kind::F64, false, |r| {
                r.$g.long.map_or(Val::Null, Val::F64)
            }),
            (concat!($p, "_feature_id"), Kind::Str, false, |r| {
                opt_str(&r.$g.feature_id)
            }),
        ]
    };
}

fn date_parts(r: &EventRecord) -> Option<(i64, i64, i64)> {
    let d = r.date.as_deref()?;
    let y = d.get(0..4)?.parse().ok()?;
    let m = d.get(5..7)?.parse().ok()?;
    let day = d.get(8..10)?.parse().ok()?;
    Some((y, m, day))
}

/// (name, type, required, getter) of every column, in file order: for other writers of the
/// same dataset (the Spark job), so that they write the same values with the same types.
pub fn columns() -> Vec<(&'static str, Kind, bool, Getter)> {
    let mut c: Vec<(&'static str, Kind, bool, Getter)> = vec![
        ("global_event_id", Kind::I64, true, |r| {
            Val::I64(r.global_event_id as i64)
        }),
        ("sql_date", Kind::I32, false, |r| {
            r.sql_date().map_or(Val::Null, Val::I32)
        }),
        ("month_year", Kind::I32, false, |r| {
            r.sql_date().map_or(Val::Null, |d| Val::I32(d / 100))
        }),
        ("fraction_date", Kind::F64, false, |r| {
            date_parts(r).map_or(Val::Null, |(y, m, d)| {
                let f: f64 = format!("{:.4}", y as f64 + (m as f64 * 30.0 + d as f64) / 365.0)
                    .parse()
                    .unwrap_or(0.0);
                Val::F64(f)
            })
        }),
    ];
    c.extend(actor_cols!(actor1, "actor1"));
    c.extend(actor_cols!(actor2, "actor2"));
    let rest: [(&'static str, Kind, bool, Getter); 10] = [
        ("is_root_event", Kind::I32, true, |r| {
            Val::I32(i32::from(r.is_root_event))
        }),
        ("event_code", Kind::Str, true, |r| Val::Str(&r.event_code)),
        ("event_base_code", Kind::Str, true, |r| {
            Val::Str(&r.event_base_code)
        }),
        ("event_root_code", Kind::Str, true, |r| {
            Val::Str(&r.event_root_code)
        }),
        ("quad_class", Kind::I32, true, |r| {
            Val::I32(i32::from(r.quad_class))
        }),
        ("goldstein_scale", Kind::F64, true, |r| {
            Val::F64(r.goldstein_scale)
        }),
        ("num_mentions", Kind::I32, true, |r| {
            Val::I32(r.num_mentions as i32)
        }),
        ("num_sources", Kind::I32, true, |r| {
            Val::I32(r.num_sources as i32)
        }),
        ("num_articles", Kind::I32, true, |r| {
            Val::I32(r.num_articles as i32)
        }),
        ("avg_tone", Kind::F64, true, |r| Val::F64(r.avg_tone)),
    ];
    c.extend(rest);
    c.extend(geo_cols!("actor1_geo", actor1_geo));
    c.extend(geo_cols!("actor2_geo", actor2_geo));
    c.extend(geo_cols!("action_geo", action_geo));
    let tail: [(&'static str, Kind, bool, Getter); 3] = [
        ("date_added", Kind::I64, false, |r| {
            r.date_added.parse().map_or(Val::Null, Val::I64)
        }),
        ("source_url", Kind::Str, false, |r| opt_str(&r.source_url)),
        ("event_date", Kind::Date, false, |r| {
            date_parts(r).map_or(Val::Null, |(y, m, d)| {
                Val::I32(days_from_civil(y, m, d) as i32)
            })
        }),
    ];
    c.extend(tail);
    c
}

/// Number of columns in each Parquet file (GDELT's 61 less `Year`, plus `event_date`).
pub const PARQUET_COLUMNS: usize = 61;

fn schema() -> Result<Type, ParquetError> {
    let mut s = String::from("message gdelt_event {\n");
    for (name, kind, required, _) in columns() {
        let rep = if required { "REQUIRED" } else { "OPTIONAL" };
        let ty = match kind {
            Kind::I32 => "INT32",
            Kind::I64 => "INT64",
            Kind::F64 => "DOUBLE",
            Kind::Str => "BYTE_ARRAY",
            Kind::Date => "INT32",
        };
        let ann = match kind {
            Kind::Str => " (UTF8)",
            Kind::Date => " (DATE)",
            _ => "",
        };
        s.push_str(&format!("  {rep} {ty} {name}{ann};\n"));
    }
    s.push('}');
    parse_message_type(&s)
}

struct Partition {
    writer: SerializedFileWriter<BufWriter<File>>,
    buf: Vec<EventRecord>,
}

/// What a dataset export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParquetSummary {
    pub rows: u64,
    pub files: u64,
    /// Events left out because they have no date (and so no partition).
    pub undated: u64,
}

/// Removes a dataset's `year=*/month=*/*.parquet` tree after checking that it holds nothing else.
fn remove_dataset(dir: &Path) -> Result<(), ParquetError> {
    let not_ours = |p: &Path| {
        ParquetError::General(format!(
            "{} is in {}, and is not part of a Parquet dataset: nothing was removed; choose an empty directory",
            p.display(),
            dir.display()
        ))
    };
    let is_partition = |p: &Path, key: &str| {
        p.is_dir()
            && !p.is_symlink()
            && p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(key))
                .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut years = Vec::new();
    for y in std::fs::read_dir(dir)? {
        let y = y?.path();
        if !is_partition(&y, "year=") {
            return Err(not_ours(&y));
        }
        for m in std::fs::read_dir(&y)? {
            let m = m?.path();
            if !is_partition(&m, "month=") {
                return Err(not_ours(&m));
            }
            for f in std::fs::read_dir(&m)? {
                let f = f?.path();
                if !(f.is_file() && f.extension().is_some_and(|e| e == "parquet")) {
                    return Err(not_ours(&f));
                }
            }
        }
        years.push(y);
    }
    for y in years {
        std::fs::remove_dir_all(y)?;
    }
    Ok(())
}

/// Writes records into `year=YYYY/month=MM/part-00000.parquet` files under a directory.
pub struct ParquetDataset {
    dir: PathBuf,
    schema: Arc<Type>,
    props: Arc<WriterProperties>,
    parts: BTreeMap<(i64, i64), Partition>,
    rows_per_group: usize,
    summary: ParquetSummary,
}

impl ParquetDataset {
    /// Starts a dataset in `dir`, which must not exist or be empty.
    pub fn create(dir: &Path) -> Result<Self, ParquetError> {
        Self::create_in(dir, false)
    }

    /// Starts a dataset in `dir`; with `overwrite`, an earlier dataset there (only
    /// `year=*/month=*/*.parquet`) is removed first. Anything else in `dir` is never removed:
    /// the directory is refused.
    pub fn create_in(dir: &Path, overwrite: bool) -> Result<Self, ParquetError> {
        if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            if !overwrite {
                return Err(ParquetError::General(format!(
                    "{} exists and is not empty: a Parquet dataset needs a new directory",
                    dir.display()
                )));
            }
            remove_dataset(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(ParquetDataset {
            dir: dir.to_path_buf(),
            schema: Arc::new(schema()?),
            props: Arc::new(props),
            parts: BTreeMap::new(),
            rows_per_group: 128 * 1024,
            summary: ParquetSummary::default(),
        })
    }

    /// Adds one record; returns false (and writes nothing) when it has no date.
    pub fn write(&mut self, r: EventRecord) -> Result<bool, ParquetError> {
        let Some((y, m, _)) = date_parts(&r) else {
            self.summary.undated += 1;
            return Ok(false);
        };
        if !self.parts.contains_key(&(y, m)) {
            let dir = self
                .dir
                .join(format!("year={y:04}"))
                .join(format!("month={m:02}"));
            std::fs::create_dir_all(&dir)?;
            let file = File::create(dir.join("part-00000.parquet"))?;
            let writer = SerializedFileWriter::new(
                BufWriter::new(file),
                self.schema.clone(),
                self.props.clone(),
            )?;
            self.summary.files += 1;
            self.parts.insert(
                (y, m),
                Partition {
                    writer,
                    buf: Vec::new(),
                },
            );
        }
        let p = self
            .parts
            .get_mut(&(y, m))
            .expect("partition just inserted");
        p.buf.push(r);
        self.summary.rows += 1;
        if p.buf.len() >= self.rows_per_group {
            flush(p)?;
        }
        Ok(true)
    }

    /// Writes the remaining rows and closes every file.
    pub fn finish(mut self) -> Result<ParquetSummary, ParquetError> {
        for (_, mut p) in std::mem::take(&mut self.parts) {
            flush(&mut p)?;
            p.writer.close()?;
        }
        Ok(self.summary)
    }
}

fn flush(p: &mut Partition) -> Result<(), ParquetError> {
    if p.buf.is_empty() {
        return Ok(());
    }
    let cols = columns();
    let mut rg = p.writer.next_row_group()?;
    let mut i = 0;
    while let Some(mut col) = rg.next_column()? {
        let (_, kind, required, get) = cols[i];
        i += 1;
        let vals: Vec<Val> = p.buf.iter().map(get).collect();
        let defs: Vec<i16> = vals
            .iter()
            .map(|v| i16::from(!matches!(v, Val::Null)))
            .collect();
        let defs = if required {
            None
        } else {
            Some(defs.as_slice())
        };
        match kind {
            Kind::I32 | Kind::Date => {
                let v: Vec<i32> = vals
                    .iter()
                    .filter_map(|v| match v {
                        Val::I32(x) => Some(*x),
                        _ => None,
                    })
                    .collect();
                col.typed::<Int32Type>().write_batch(&v, defs, None)?;
            }
            Kind::I64 => {
                let v: Vec<i64> = vals
                    .iter()
                    .filter_map(|v| match v {
                        Val::I64(x) => Some(*x),
                        _ => None,
                    })
                    .collect();
                col.typed::<Int64Type>().write_batch(&v, defs, None)?;
            }
            Kind::F64 => {
                let v: Vec<f64> = vals
                    .iter()
                    .filter_map(|v| match v {
                        Val::F64(x) => Some(*x),
                        _ => None,
                    })
                    .collect();
                col.typed::<DoubleType>().write_batch(&v, defs, None)?;
            }
            Kind::Str => {
                let v: Vec<ByteArray> = vals
                    .iter()
                    .filter_map(|v| match v {
                        Val::Str(s) => Some(ByteArray::from(*s)),
                        _ => None,
                    })
                    .collect();
                col.typed::<ByteArrayType>().write_batch(&v, defs, None)?;
            }
        }
        col.close()?;
    }
    rg.close()?;
    p.buf.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_one_typed_columns() {
        assert_eq!(columns().len(), PARQUET_COLUMNS);
        let s = schema().unwrap();
        assert_eq!(s.get_fields().len(), PARQUET_COLUMNS);
    }

    #[test]
    fn writes_partitioned_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ds");
        let mut ds = ParquetDataset::create(&out).unwrap();
        let mut r = EventRecord {
            global_event_id: 1,
            date: Some("2017-07-07".into()),
            event_code: "042".into(),
            event_base_code: "042".into(),
            event_root_code: "04".into(),
            quad_class: 1,
            goldstein_scale: 1.9,
            num_mentions: 1,
            num_sources: 1,
            num_articles: 1,
            ..Default::default()
        };
        let first = r.clone();
        assert!(ds.write(r.clone()).unwrap());
        r.global_event_id = 2;
        r.date = Some("2018-01-02".into());
        assert!(ds.write(r.clone()).unwrap());
        r.date = None;
        assert!(!ds.write(r).unwrap());
        let s = ds.finish().unwrap();
        assert_eq!(
            s,
            ParquetSummary {
                rows: 2,
                files: 2,
                undated: 1
            }
        );
        let f = out.join("year=2017/month=07/part-00000.parquet");
        let bytes = std::fs::read(f).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        assert!(out.join("year=2018/month=01/part-00000.parquet").exists());
        assert!(
            ParquetDataset::create(&out).is_err(),
            "non-empty dir refused"
        );
        // Overwriting replaces an earlier dataset...
        let mut ds = ParquetDataset::create_in(&out, true).unwrap();
        assert!(ds.write(first).unwrap());
        assert_eq!(ds.finish().unwrap().files, 1);
        assert!(!out.join("year=2018").exists());
        // ...but never removes what it did not write.
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = ParquetDataset::create_in(&out, true).err().unwrap();
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert!(out.join("notes.txt").exists() && out.join("year=2017").exists());
    }
}
