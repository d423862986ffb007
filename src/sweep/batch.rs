//! `--shard auto`: which slice of a sweep this process runs, from the variables
//! a batch system sets (a Kubernetes Indexed Job or a Slurm job array).

use super::grid::Shard;

/// The slice for `--shard auto`, from the batch system's variables (`get`
/// reads one; the CLI passes the process environment, nothing here reads it):
///
/// - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (0-based, set by
///   Kubernetes) and `JOB_COMPLETIONS` (the number of completions; Kubernetes
///   does not set it, so the manifest must, to the job's `completions`).
///   K = index + 1, N = completions.
/// - Slurm job array: `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT` and
///   `SLURM_ARRAY_TASK_MIN` (the array may start at 0, 1 or any number; it must
///   be contiguous with step 1, such as `--array=1-8` or `--array=0-7`).
///   K = id - min + 1, N = count.
///
/// Errs when neither or both are present, or a value is malformed.
pub fn shard_from_batch_env(get: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let num = |k: &str| -> Result<Option<u64>, String> {
        match get(k) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| format!("--shard auto: {k}={v:?} is not a non-negative integer")),
        }
    };
    let need = |k: &str, why: &str| -> Result<u64, String> {
        num(k)?.ok_or_else(|| format!("--shard auto: {k} is not set; {why}"))
    };
    let k8s = num("JOB_COMPLETION_INDEX")?;
    let slurm = num("SLURM_ARRAY_TASK_ID")?;
    let (k, n, source) = match (k8s, slurm) {
        (Some(_), Some(_)) => {
            return Err("--shard auto: both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm) are set; give --shard K/N instead".to_string())
        }
        (Some(index), None) => {
            let n = need("JOB_COMPLETIONS", "set it in the Job's pod template to the Job's `completions` (Kubernetes does not)")?;
            (index.saturating_add(1), n, "JOB_COMPLETION_INDEX/JOB_COMPLETIONS")
        }
        (None, Some(id)) => {
            let count = need("SLURM_ARRAY_TASK_COUNT", "run inside a Slurm job array (sbatch --array=1-N)")?;
            let min = need("SLURM_ARRAY_TASK_MIN", "run inside a Slurm job array (sbatch --array=1-N)")?;
            if let Some(step) = num("SLURM_ARRAY_TASK_STEP")?.filter(|s| *s != 1) {
                return Err(format!("--shard auto: the Slurm array has step {step}; use a contiguous array with step 1, such as --array=1-{count}"));
            }
            if let Some(max) = num("SLURM_ARRAY_TASK_MAX")? {
                if max.checked_sub(min).and_then(|d| d.checked_add(1)) != Some(count) {
                    return Err(format!("--shard auto: the Slurm array {min}..{max} holds {count} tasks, so it is not contiguous; use --array={min}-{}", min.saturating_add(count).saturating_sub(1)));
                }
            }
            let k = id.checked_sub(min).map(|d| d.saturating_add(1)).unwrap_or(0);
            (k, count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_MIN/SLURM_ARRAY_TASK_COUNT")
        }
        (None, None) => {
            return Err("--shard auto: neither a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) nor a Slurm job array (SLURM_ARRAY_TASK_ID) is visible in the environment; give --shard K/N instead".to_string())
        }
    };
    Shard::new(k, n).ok_or_else(|| format!("--shard auto: {source} give slice {k} of {n}, which is not a valid slice (1 <= K <= N)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn kubernetes_index_is_zero_based() {
        let s = shard_from_batch_env(env(&[
            ("JOB_COMPLETION_INDEX", "0"),
            ("JOB_COMPLETIONS", "4"),
        ]));
        assert_eq!(s, Ok(Shard { k: 1, n: 4 }));
        let s = shard_from_batch_env(env(&[
            ("JOB_COMPLETION_INDEX", "3"),
            ("JOB_COMPLETIONS", "4"),
        ]));
        assert_eq!(s, Ok(Shard { k: 4, n: 4 }));
        assert!(shard_from_batch_env(env(&[
            ("JOB_COMPLETION_INDEX", "4"),
            ("JOB_COMPLETIONS", "4")
        ]))
        .is_err());
        let e = shard_from_batch_env(env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err();
        assert!(e.contains("JOB_COMPLETIONS"), "{e}");
    }

    #[test]
    fn slurm_arrays_may_start_anywhere() {
        let one = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert_eq!(shard_from_batch_env(env(&one)), Ok(Shard { k: 1, n: 3 }));
        let zero = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert_eq!(shard_from_batch_env(env(&zero)), Ok(Shard { k: 3, n: 3 }));
        let gappy = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert!(shard_from_batch_env(env(&gappy)).is_err());
    }

    #[test]
    fn nothing_or_both_is_an_error() {
        assert!(shard_from_batch_env(env(&[]))
            .unwrap_err()
            .contains("neither"));
        let both = [
            ("JOB_COMPLETION_INDEX", "0"),
            ("JOB_COMPLETIONS", "2"),
            ("SLURM_ARRAY_TASK_ID", "1"),
        ];
        assert!(shard_from_batch_env(env(&both))
            .unwrap_err()
            .contains("both"));
        assert!(shard_from_batch_env(env(&[("JOB_COMPLETION_INDEX", "x")])).is_err());
    }
}
