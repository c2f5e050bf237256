//! Checks on dependency trees given as heads (`heads[i]` is the head of word `i + 1`; 0 is the root).

/// Whether `heads` is a tree: every head in 0..=n, exactly one word on the root, no cycle.
pub fn check(heads: &[u32]) -> Result<(), String> {
    let n = heads.len();
    if let Some(i) = heads.iter().position(|&h| h as usize > n) {
        return Err(format!(
            "word {} has head {}, out of range",
            i + 1,
            heads[i]
        ));
    }
    let roots = heads.iter().filter(|&&h| h == 0).count();
    if roots != 1 {
        return Err(format!("{roots} words on the root, a tree has one"));
    }
    // Walk up from each word; a walk longer than n words is a cycle.
    for start in 1..=n {
        let mut cur = start;
        let mut steps = 0;
        while cur != 0 {
            if heads[cur - 1] as usize == cur {
                return Err(format!("word {cur} heads itself"));
            }
            cur = heads[cur - 1] as usize;
            steps += 1;
            if steps > n {
                return Err(format!("word {start} is on a cycle"));
            }
        }
    }
    Ok(())
}

/// Whether no two arcs cross, counting the arcs from the root (word 0).
pub fn is_projective(heads: &[u32]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            let (a, b) = (i + 1, h as usize);
            (a.min(b), a.max(b))
        })
        .collect();
    for &(l1, r1) in &arcs {
        for &(l2, r2) in &arcs {
            if l1 < l2 && l2 < r1 && r1 < r2 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_and_non_trees() {
        assert!(check(&[2, 0, 2]).is_ok());
        assert!(check(&[]).is_err());
        assert!(check(&[0, 0]).is_err());
        assert!(check(&[2, 1, 0]).is_err());
        assert!(check(&[4, 0]).is_err());
        assert!(check(&[1]).is_err());
    }

    #[test]
    fn crossing_arcs() {
        assert!(is_projective(&[2, 0, 2]));
        // 1->3 and 2->4 cross.
        assert!(!is_projective(&[3, 4, 0, 3]));
    }
}
