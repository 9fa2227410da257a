//! Sign-in throttling: failed attempts are counted per account and per client address, and past a
//! few of them each further attempt must wait, twice as long after every failure (capped), so
//! password guessing is slowed to a crawl without locking the real user out for long. Password
//! checks run on the blocking pool, at most [`PasswordWork::PERMITS`] at a time, so a burst of
//! sign-ins cannot stall the async workers that serve every other request.

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// When sign-in attempts for one key must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// Failures allowed before any wait.
    pub free_failures: u32,
    /// The wait after the first failure past the free ones; doubled after each further one.
    pub first_wait: Duration,
    /// The longest wait.
    pub max_wait: Duration,
    /// A key with no failure for this long starts afresh.
    pub forget_after: Duration,
}

impl BackoffPolicy {
    /// Per account: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes.
    pub const ACCOUNT: Self = Self {
        free_failures: 5,
        first_wait: Duration::from_secs(1),
        max_wait: Duration::from_secs(15 * 60),
        forget_after: Duration::from_secs(60 * 60),
    };
    /// Per client address: 20 free failures (an office behind one address), then the same.
    pub const ADDRESS: Self = Self {
        free_failures: 20,
        first_wait: Duration::from_secs(1),
        max_wait: Duration::from_secs(15 * 60),
        forget_after: Duration::from_secs(60 * 60),
    };

    /// The wait after `failures` consecutive failures.
    pub fn wait_after(&self, failures: u32) -> Duration {
        if failures < self.free_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free_failures).min(30);
        self.first_wait.saturating_mul(1u32 << doublings).min(self.max_wait)
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failed sign-ins per key (`user:NAME`, `addr:IP`), kept in this node's memory.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    const MAX_ENTRIES: usize = 100_000;

    /// Refuses an attempt under `key` while its wait runs (429 with the seconds left).
    pub fn check(&self, key: &str, policy: BackoffPolicy, now: Instant) -> Result<(), AppError> {
        let entries = self.entries.lock().map_err(|_| AppError::Internal)?;
        let Some(f) = entries.get(key) else { return Ok(()) };
        if now.duration_since(f.last) >= policy.forget_after {
            return Ok(());
        }
        let until = f.last + policy.wait_after(f.count);
        if until > now {
            let secs = (until - now).as_secs_f64().ceil().max(1.0) as u64;
            return Err(AppError::RateLimited { retry_after_secs: secs });
        }
        Ok(())
    }

    /// Counts a failed attempt under `key`.
    pub fn failed(&self, key: &str, policy: BackoffPolicy, now: Instant) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= Self::MAX_ENTRIES {
            entries.retain(|_, f| now.duration_since(f.last) < policy.forget_after);
        }
        let f = entries.entry(key.to_string()).or_insert(Failures { count: 0, last: now });
        if now.duration_since(f.last) >= policy.forget_after {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last = now;
    }

    /// Forgets `key`'s failures (after a successful sign-in).
    pub fn succeeded(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

/// The bounded pool that password hashing and verification run on.
#[derive(Debug)]
pub struct PasswordWork {
    permits: Semaphore,
    waiting: AtomicUsize,
}

impl Default for PasswordWork {
    fn default() -> Self {
        Self { permits: Semaphore::new(Self::PERMITS), waiting: AtomicUsize::new(0) }
    }
}

impl PasswordWork {
    /// Password checks running at once (each takes one core for ~20–50 ms).
    pub const PERMITS: usize = 2;
    /// Checks allowed to wait for a permit; past that a sign-in is told to retry.
    pub const MAX_WAITING: usize = 64;

    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= Self::MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(AppError::RateLimited { retry_after_secs: 1 });
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let _permit = permit.map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            tracing::error!(error = %e, "password work failed");
            AppError::Internal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_and_are_capped() {
        let p = BackoffPolicy::ACCOUNT;
        assert_eq!(p.wait_after(4), Duration::ZERO);
        assert_eq!(p.wait_after(5), Duration::from_secs(1));
        assert_eq!(p.wait_after(6), Duration::from_secs(2));
        assert_eq!(p.wait_after(8), Duration::from_secs(8));
        assert_eq!(p.wait_after(20), Duration::from_secs(15 * 60));
        assert_eq!(p.wait_after(u32::MAX), Duration::from_secs(15 * 60));
    }

    #[test]
    fn a_key_is_refused_while_its_wait_runs_and_forgotten_after_success() {
        let t = LoginThrottle::default();
        let p = BackoffPolicy::ACCOUNT;
        let start = Instant::now();
        for _ in 0..5 {
            assert!(t.check("user:agent", p, start).is_ok());
            t.failed("user:agent", p, start);
        }
        assert_eq!(t.check("user:agent", p, start), Err(AppError::RateLimited { retry_after_secs: 1 }));
        assert!(t.check("user:other", p, start).is_ok());
        assert!(t.check("user:agent", p, start + Duration::from_secs(1)).is_ok());
        t.failed("user:agent", p, start + Duration::from_secs(1));
        assert_eq!(t.check("user:agent", p, start + Duration::from_secs(1)), Err(AppError::RateLimited { retry_after_secs: 2 }));
        assert!(t.check("user:agent", p, start + Duration::from_secs(2 * 3600)).is_ok(), "forgotten after an hour");
        t.succeeded("user:agent");
        assert!(t.check("user:agent", p, start + Duration::from_secs(1)).is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn password_work_runs_off_the_async_workers_with_a_bound() {
        let work = std::sync::Arc::new(PasswordWork::default());
        let running = std::sync::Arc::new(AtomicUsize::new(0));
        let most = std::sync::Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (work, running, most) = (work.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    work.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= PasswordWork::PERMITS, "{} at once", most.load(Ordering::SeqCst));
    }
}
