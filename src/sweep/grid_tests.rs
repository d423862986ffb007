//! Tests of the grid: value lists, seed ranges, shards and the run order.

use super::*;

#[test]
fn values_split_at_top_level_commas_only() {
    let v = split_values(r#"{ dist = "uniform", min = "1ms", max = "3ms" }, 5ms,"a,b",['x', 'y']"#);
    assert_eq!(
        v.as_deref().ok(),
        Some(
            &[
                r#"{ dist = "uniform", min = "1ms", max = "3ms" }"#.to_string(),
                "5ms".to_string(),
                r#""a,b""#.to_string(),
                "['x', 'y']".to_string()
            ][..]
        )
    );
    assert!(split_values("10s,,30s").is_err());
    assert!(split_values("\"open").is_err());
    assert!(SetList::parse("=1,2").is_err());
    assert!(SetList::parse("a.b").is_err());
}

#[test]
fn seeds_and_shards_parse() {
    assert_eq!(
        SeedRange::parse("1..20"),
        Ok(SeedRange { first: 1, last: 20 })
    );
    assert_eq!(SeedRange::parse("3..=3").map(|s| s.count()), Ok(1));
    assert_eq!(SeedRange::parse("7").map(|s| s.count()), Ok(1));
    assert!(SeedRange::parse("2..1").is_err());
    assert!(SeedRange::parse("..").is_err());
    assert_eq!(
        SeedRange::parse("0..18446744073709551615").map(|s| s.count()),
        Ok(u64::MAX)
    );
    assert_eq!(Shard::parse("2/4"), Ok(Shard { k: 2, n: 4 }));
    for bad in ["0/4", "5/4", "1/0", "x/2", "2", ""] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
    let s = Shard { k: 2, n: 3 };
    let mine: Vec<usize> = (0..9).filter(|i| s.contains(*i)).collect();
    assert_eq!(mine, [1, 4, 7]);
}

#[test]
fn the_last_list_varies_fastest_and_seeds_are_innermost() {
    let sets = vec![
        SetList {
            path: "a".into(),
            values: vec!["1".into(), "2".into()],
        },
        SetList {
            path: "b".into(),
            values: vec!["x".into(), "y".into(), "z".into()],
        },
    ];
    let g = Grid::new(
        sets,
        SeedRange {
            first: 10,
            last: 11,
        },
    )
    .expect("grid");
    assert_eq!((g.point_count(), g.seed_count(), g.run_count()), (6, 2, 12));
    assert_eq!(g.params(0).label(), "a=1 b=x");
    assert_eq!(g.params(2).label(), "a=1 b=z");
    assert_eq!(g.params(3).label(), "a=2 b=x");
    assert_eq!(g.run(0), (0, 10));
    assert_eq!(g.run(1), (0, 11));
    assert_eq!(g.run(7), (3, 11));
    let dup = vec![
        SetList {
            path: "a".into(),
            values: vec!["1".into()],
        },
        SetList {
            path: "a".into(),
            values: vec!["2".into()],
        },
    ];
    assert!(Grid::new(dup, SeedRange { first: 0, last: 0 }).is_err());
    let huge = vec![SetList {
        path: "a".into(),
        values: vec!["1".into(); 2],
    }];
    assert!(Grid::new(
        huge,
        SeedRange {
            first: 0,
            last: MAX_RUNS
        }
    )
    .is_err());
}

/// A `--set` value cannot carry a line break (or any control character)
/// into the messages that echo it.
#[test]
fn control_characters_in_set_are_refused_and_shown_escaped() {
    let e = SetList::parse("failover.dns.ttl=10s\n::error::forged").unwrap_err();
    assert!(!e.contains('\n'), "{e}");
    assert!(e.contains("\\n::error::forged"), "{e}");
    assert!(e.contains("control characters"), "{e}");
    let e = SetList::parse("replication.mode=\u{1b}[31masync").unwrap_err();
    assert!(!e.contains('\u{1b}'), "{e}");
}
