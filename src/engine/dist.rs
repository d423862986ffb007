//! Pure-Rust random distributions (normal, log-normal, exponential, Zipf) whose math comes from the `libm` crate, so a seed gives the same bits on every OS and libc.
//!
//! The algorithms are those of rand_distr 0.6 (ziggurat for the normal and the
//! exponential, rejection-inversion for Zipf), with every `exp`/`ln`/`powf`/`floor`
//! from `libm` instead of the platform's math library. rand_distr itself is not used:
//! its math switches to the platform's as soon as any crate in the build enables
//! `num-traits/std` (plotters does), whatever its own `std_math` feature says.

use rand::distr::{Open01, StandardUniform};
use rand::{Rng, RngExt};

pub use rand::distr::Distribution;

use super::ziggurat_tables::{
    ZigTable, ZIG_EXP_F, ZIG_EXP_R, ZIG_EXP_X, ZIG_NORM_F, ZIG_NORM_R, ZIG_NORM_X,
};

/// A parameter outside the distribution's domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamError(&'static str);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ParamError {}

/// The float in [1, 2) × 2^`exponent` whose 52 mantissa bits are `mantissa`.
#[inline(always)]
fn with_exponent(mantissa: u64, exponent: i32) -> f64 {
    f64::from_bits(mantissa | (((1023 + exponent) as u64) << 52))
}

/// Marsaglia and Tsang's ziggurat, as rand_distr 0.6 draws it (one `u64` gives the
/// layer and the abscissa; `pdf` and `zero_case` run on the rare slow paths).
#[inline(always)]
fn ziggurat<R: Rng + ?Sized>(
    rng: &mut R,
    symmetric: bool,
    x_tab: ZigTable,
    f_tab: ZigTable,
    pdf: fn(f64) -> f64,
    zero_case: fn(&mut R, f64) -> f64,
) -> f64 {
    loop {
        let bits = rng.next_u64();
        let i = bits as usize & 0xff;
        let u = if symmetric {
            with_exponent(bits >> 12, 1) - 3.0
        } else {
            with_exponent(bits >> 12, 0) - (1.0 - f64::EPSILON / 2.0)
        };
        let x = u * x_tab[i];
        let test_x = if symmetric { x.abs() } else { x };
        if test_x < x_tab[i + 1] {
            return x;
        }
        if i == 0 {
            return zero_case(rng, u);
        }
        if f_tab[i + 1] + (f_tab[i] - f_tab[i + 1]) * rng.random::<f64>() < pdf(x) {
            return x;
        }
    }
}

/// A standard normal variate.
#[inline]
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    fn pdf(x: f64) -> f64 {
        libm::exp(-x * x / 2.0)
    }
    fn zero_case<R: Rng + ?Sized>(rng: &mut R, u: f64) -> f64 {
        // The tail beyond R, by Marsaglia's method.
        let mut x = 1.0f64;
        let mut y = 0.0f64;
        while -2.0 * y < x * x {
            let x_: f64 = rng.sample(Open01);
            let y_: f64 = rng.sample(Open01);
            x = libm::log(x_) / ZIG_NORM_R;
            y = libm::log(y_);
        }
        if u < 0.0 {
            x - ZIG_NORM_R
        } else {
            ZIG_NORM_R - x
        }
    }
    ziggurat(rng, true, &ZIG_NORM_X, &ZIG_NORM_F, pdf, zero_case)
}

/// An exponential variate of rate 1.
#[inline]
pub fn standard_exp<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    fn pdf(x: f64) -> f64 {
        libm::exp(-x)
    }
    fn zero_case<R: Rng + ?Sized>(rng: &mut R, _u: f64) -> f64 {
        ZIG_EXP_R - libm::log(rng.random::<f64>())
    }
    ziggurat(rng, false, &ZIG_EXP_X, &ZIG_EXP_F, pdf, zero_case)
}

/// N(mean, std_dev²).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normal {
    mean: f64,
    std_dev: f64,
}

impl Normal {
    pub fn new(mean: f64, std_dev: f64) -> Result<Normal, ParamError> {
        if !std_dev.is_finite() || std_dev < 0.0 {
            return Err(ParamError("normal: std_dev < 0 or not finite"));
        }
        Ok(Normal { mean, std_dev })
    }
}

impl Distribution<f64> for Normal {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.mean + self.std_dev * standard_normal(rng)
    }
}

/// exp(N(mu, sigma²)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogNormal {
    norm: Normal,
}

impl LogNormal {
    pub fn new(mu: f64, sigma: f64) -> Result<LogNormal, ParamError> {
        if sigma.is_nan() || sigma < 0.0 {
            return Err(ParamError("log-normal: sigma < 0 or NaN"));
        }
        Ok(LogNormal {
            norm: Normal::new(mu, sigma)?,
        })
    }
}

impl Distribution<f64> for LogNormal {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        libm::exp(self.norm.sample(rng))
    }
}

/// Exponential of rate `lambda` (mean 1 / `lambda`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exp {
    lambda_inverse: f64,
}

impl Exp {
    pub fn new(lambda: f64) -> Result<Exp, ParamError> {
        if lambda.is_sign_negative() || lambda.is_nan() {
            return Err(ParamError("exponential: lambda < 0 or NaN"));
        }
        Ok(Exp {
            lambda_inverse: 1.0 / lambda,
        })
    }
}

impl Distribution<f64> for Exp {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        standard_exp(rng) * self.lambda_inverse
    }
}

/// Zipf over 1..=n with exponent s: P(k) ∝ k^-s (rejection-inversion, Hörmann and
/// Derflinger, as in rand_distr 0.6). Samples are floats holding integers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zipf {
    s: f64,
    t: f64,
    q: f64,
}

impl Zipf {
    pub fn new(n: u64, s: f64) -> Result<Zipf, ParamError> {
        let n = n as f64;
        if s.is_nan() || s < 0.0 {
            return Err(ParamError("zipf: s < 0 or NaN"));
        }
        if n < 1.0 {
            return Err(ParamError("zipf: n < 1"));
        }
        let q = if s != 1.0 { 1.0 / (1.0 - s) } else { 0.0 };
        let t = if s == f64::INFINITY {
            1.0
        } else if s != 1.0 {
            (libm::pow(n, 1.0 - s) - s) * q
        } else {
            1.0 + libm::log(n)
        };
        Ok(Zipf { s, t, q })
    }

    #[inline]
    fn inv_cdf(&self, p: f64) -> f64 {
        let pt = p * self.t;
        if pt <= 1.0 {
            pt
        } else if self.s != 1.0 {
            libm::pow(pt * (1.0 - self.s) + self.s, self.q)
        } else {
            libm::exp(pt - 1.0)
        }
    }
}

impl Distribution<f64> for Zipf {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let inv_b = self.inv_cdf(rng.sample(StandardUniform));
            let x = libm::floor(inv_b + 1.0);
            let mut ratio = libm::pow(x, -self.s);
            if x > 1.0 {
                ratio *= libm::pow(inv_b, self.s);
            }
            let y: f64 = rng.sample(StandardUniform);
            if y < ratio {
                return x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        (m, xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n)
    }

    /// 200k draws: the sample mean is within 5 standard errors of the true one, the
    /// variance within 2%.
    #[test]
    fn normal_moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let d = Normal::new(38.0, 2.0).unwrap();
        let xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng)).collect();
        let (m, v) = mean_var(&xs);
        assert!((m - 38.0).abs() < 5.0 * 2.0 / 200_000f64.sqrt(), "{m}");
        assert!((v / 4.0 - 1.0).abs() < 0.02, "{v}");
        // The tail beyond the ziggurat's base layer is reached and symmetric.
        let far = xs.iter().filter(|x| (**x - 38.0).abs() > 2.0 * 3.3).count();
        assert!(far > 50, "{far}");
    }

    #[test]
    fn lognormal_median_and_p99() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let (mu, sigma) = (libm::log(38_000.0), 0.07);
        let d = LogNormal::new(mu, sigma).unwrap();
        let mut xs: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        let median = xs[50_000];
        let p99 = xs[99_000];
        assert!((median / 38_000.0 - 1.0).abs() < 0.002, "{median}");
        let want = libm::exp(mu + 2.326_347_874 * sigma);
        assert!((p99 / want - 1.0).abs() < 0.01, "{p99} vs {want}");
    }

    #[test]
    fn exp_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let d = Exp::new(4.0).unwrap();
        let xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng)).collect();
        let (m, v) = mean_var(&xs);
        assert!((m - 0.25).abs() < 5.0 * 0.25 / 200_000f64.sqrt(), "{m}");
        assert!((v / 0.0625 - 1.0).abs() < 0.03, "{v}");
        assert!(xs.iter().all(|x| *x >= 0.0));
        // The tail beyond the base layer (x > 7.7 at rate 1) is reached.
        assert!(xs.iter().any(|x| *x * 4.0 > ZIG_EXP_R));
    }

    #[test]
    fn zipf_matches_its_pmf() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for s in [0.0, 1.0, 1.1, 2.0] {
            let n = 50u64;
            let d = Zipf::new(n, s).unwrap();
            let mut counts = vec![0u64; n as usize + 1];
            let draws = 200_000;
            for _ in 0..draws {
                let k = d.sample(&mut rng);
                assert!(k >= 1.0 && k <= n as f64 && k.fract() == 0.0, "{k}");
                counts[k as usize] += 1;
            }
            let h: f64 = (1..=n).map(|k| libm::pow(k as f64, -s)).sum();
            for k in [1u64, 2, 10] {
                let p = libm::pow(k as f64, -s) / h;
                let got = counts[k as usize] as f64 / draws as f64;
                let se = (p * (1.0 - p) / draws as f64).sqrt();
                assert!((got - p).abs() < 5.0 * se, "s {s} k {k}: {got} vs {p}");
            }
        }
    }

    #[test]
    fn parameters_outside_the_domain_are_refused() {
        assert!(Normal::new(0.0, -1.0).is_err());
        assert!(LogNormal::new(0.0, f64::NAN).is_err());
        assert!(Exp::new(-1.0).is_err());
        assert!(Zipf::new(0, 1.0).is_err());
        assert!(Zipf::new(10, -0.5).is_err());
    }
}
