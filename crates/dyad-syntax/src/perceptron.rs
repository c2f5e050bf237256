//! Averaged perceptron over hashed features.
//!
//! Training keeps integer weights (updates are +1/-1, so training is exact and deterministic) and
//! the running sums of Daumé's averaging trick: averaged = w - u / c. Inference uses the averaged
//! weights quantized to 16 bits, with one scale per table.

/// A table being trained: `classes` weights per row, `1 << bits` rows.
pub struct TrainTable {
    pub bits: u32,
    pub classes: usize,
    w: Vec<i32>,
    u: Vec<i64>,
    /// Training instances seen, starting at 1.
    c: i64,
}

impl TrainTable {
    pub fn new(bits: u32, classes: usize) -> TrainTable {
        let n = (1usize << bits) * classes;
        TrainTable {
            bits,
            classes,
            w: vec![0; n],
            u: vec![0; n],
            c: 1,
        }
    }

    #[inline]
    fn row(&self, f: u64) -> usize {
        (f as usize & ((1usize << self.bits) - 1)) * self.classes
    }

    /// Adds the rows of `feats` into `scores` (cleared first).
    pub fn score(&self, feats: &[u64], scores: &mut [i64]) {
        scores.iter_mut().for_each(|s| *s = 0);
        for &f in feats {
            let r = self.row(f);
            for (s, w) in scores.iter_mut().zip(&self.w[r..r + self.classes]) {
                *s += *w as i64;
            }
        }
    }

    /// Rewards `good` and penalizes `bad` on every feature.
    pub fn update(&mut self, feats: &[u64], good: usize, bad: usize) {
        if good == bad {
            return;
        }
        for &f in feats {
            let r = self.row(f);
            self.w[r + good] += 1;
            self.u[r + good] += self.c;
            self.w[r + bad] -= 1;
            self.u[r + bad] -= self.c;
        }
    }

    /// One training instance has passed.
    pub fn tick(&mut self) {
        self.c += 1;
    }

    /// The averaged weights, quantized.
    pub fn finish(&self) -> Table {
        let avg = |i: usize| self.w[i] as f64 - self.u[i] as f64 / self.c as f64;
        // Scale so that all but the top 0.01% of nonzero magnitudes fit; rarer outliers clip.
        // A histogram of magnitudes (eighth-octave buckets) finds that point without a copy.
        let mut hist = vec![0u64; 2048];
        let bucket = |x: f64| ((x.log2() * 8.0 + 1024.0).clamp(0.0, 2047.0)) as usize;
        let mut nonzero = 0u64;
        for i in 0..self.w.len() {
            let a = avg(i).abs();
            if a > 0.0 {
                hist[bucket(a)] += 1;
                nonzero += 1;
            }
        }
        let mut top = 1.0;
        let mut above = 0u64;
        for b in (0..hist.len()).rev() {
            above += hist[b];
            if above as f64 > nonzero as f64 * 1e-4 {
                top = ((b as f64 + 1.0 - 1024.0) / 8.0).exp2();
                break;
            }
        }
        let scale = (32000.0 / top) as f32;
        let w = (0..self.w.len())
            .map(|i| (avg(i) * scale as f64).round().clamp(-32767.0, 32767.0) as i16)
            .collect();
        Table {
            bits: self.bits,
            classes: self.classes,
            scale,
            w,
        }
    }
}

/// A trained table: 16-bit weights, `scale` units per perceptron step.
#[derive(Clone)]
pub struct Table {
    pub bits: u32,
    pub classes: usize,
    pub scale: f32,
    pub w: Vec<i16>,
}

impl Table {
    /// A table that scores everything 0.
    pub fn empty(classes: usize) -> Table {
        Table {
            bits: 0,
            classes,
            scale: 1.0,
            w: vec![0; classes],
        }
    }

    #[inline]
    fn row(&self, f: u64) -> usize {
        (f as usize & ((1usize << self.bits) - 1)) * self.classes
    }

    /// Adds the rows of `feats` into `scores` (cleared first).
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2; the function differs from the plain one only in the
            // instructions the compiler may choose. Integer sums: the result is the same.
            unsafe { self.score_avx2(feats, scores) };
            return;
        }
        self.score_plain(feats, scores);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_avx2(&self, feats: &[u64], scores: &mut [i32]) {
        self.score_plain(feats, scores);
    }

    #[inline(always)]
    fn score_plain(&self, feats: &[u64], scores: &mut [i32]) {
        let n = self.classes;
        // Ask for every row first: the lookups are random, so their misses overlap.
        #[cfg(target_arch = "x86_64")]
        for &f in feats {
            let r = self.row(f);
            if let Some(w) = self.w.get(r) {
                // SAFETY: a prefetch only hints the cache; the pointer comes from a live slice.
                unsafe {
                    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                        w as *const i16 as *const i8,
                    );
                }
            }
        }
        scores[..n].iter_mut().for_each(|s| *s = 0);
        for &f in feats {
            let r = self.row(f);
            for (s, &w) in scores[..n].iter_mut().zip(&self.w[r..r + n]) {
                *s += w as i32;
            }
        }
    }

    /// Rows with any nonzero weight.
    pub fn nonzero_rows(&self) -> usize {
        self.w
            .chunks(self.classes)
            .filter(|r| r.iter().any(|&x| x != 0))
            .count()
    }
}

/// A zeroed weight vector of `n` entries. On Linux the kernel is asked to back it with huge
/// pages: lookups hit random rows of tens of megabytes, and with 4 KiB pages nearly each one
/// also missed the TLB.
pub fn zeroed(n: usize) -> Vec<i16> {
    let v = vec![0i16; n];
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = v.as_ptr() as usize;
        let end = start + n * std::mem::size_of::<i16>();
        let first = start.next_multiple_of(HUGE);
        if end > first + HUGE {
            let len = (end - first) / HUGE * HUGE;
            // SAFETY: the range lies inside `v`'s allocation, which is not touched yet; the advice
            // changes how pages are backed, never their contents.
            unsafe {
                libc::madvise(first as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_averages() {
        let mut t = TrainTable::new(8, 2);
        let data = [(vec![1u64, 7], 0usize), (vec![2u64, 7], 1usize)];
        let mut s = [0i64; 2];
        for _ in 0..5 {
            for (f, y) in &data {
                t.score(f, &mut s);
                let guess = if s[1] > s[0] { 1 } else { 0 };
                if guess != *y {
                    t.update(f, *y, guess);
                }
                t.tick();
            }
        }
        let table = t.finish();
        let mut q = [0i32; 2];
        for (f, y) in &data {
            table.score(f, &mut q);
            let guess = if q[1] > q[0] { 1 } else { 0 };
            assert_eq!(guess, *y);
        }
        assert!(table.nonzero_rows() > 0);
    }
}
