//! Work on large batches split over two threads: the machines Kizuna runs on
//! have two cores, and a sync's per-entry checks (digests, cell rules) are
//! pure.

/// `f` over each pair of `a` and `b`, in order (as `zip`: the shorter one
/// ends it). From `min` pairs on, the first half runs on a second thread.
pub(crate) fn map_pairs<A: Sync, B: Sync, R: Send>(
    a: &[A],
    b: &[B],
    min: usize,
    f: impl Fn(&A, &B) -> R + Sync,
) -> Vec<R> {
    let run = |a: &[A], b: &[B]| -> Vec<R> { a.iter().zip(b).map(|(x, y)| f(x, y)).collect() };
    let n = a.len().min(b.len());
    if n < min {
        return run(a, b);
    }
    let ((a0, a1), (b0, b1)) = (a[..n].split_at(n / 2), b[..n].split_at(n / 2));
    std::thread::scope(|s| {
        let first = s.spawn(|| run(a0, b0));
        let second = run(a1, b1);
        // If the thread panicked, its half is done again here (and panics here).
        let mut out = first.join().unwrap_or_else(|_| run(a0, b0));
        out.extend(second);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::map_pairs;

    #[test]
    fn pairs_keep_their_order_on_one_thread_or_two() {
        let a: Vec<u32> = (0..1000).collect();
        let b: Vec<u32> = (0..1000).map(|i| i * 10).collect();
        let expected: Vec<u32> = (0..1000).map(|i| i * 11).collect();
        assert_eq!(map_pairs(&a, &b, usize::MAX, |x, y| x + y), expected);
        assert_eq!(map_pairs(&a, &b, 2, |x, y| x + y), expected);
        assert_eq!(map_pairs(&a, &b[..3], 2, |x, y| x + y), [0, 11, 22]);
    }
}
