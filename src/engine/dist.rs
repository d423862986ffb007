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

/// 2^(j/128) for j in 0..128, correctly rounded (computed to 60 digits).
#[rustfmt::skip]
static EXP2_TABLE: [f64; 128] = [
    f64::from_bits(0x3ff0000000000000), f64::from_bits(0x3ff0163da9fb3335), f64::from_bits(0x3ff02c9a3e778061), f64::from_bits(0x3ff04315e86e7f85),
    f64::from_bits(0x3ff059b0d3158574), f64::from_bits(0x3ff0706b29ddf6de), f64::from_bits(0x3ff0874518759bc8), f64::from_bits(0x3ff09e3ecac6f383),
    f64::from_bits(0x3ff0b5586cf9890f), f64::from_bits(0x3ff0cc922b7247f7), f64::from_bits(0x3ff0e3ec32d3d1a2), f64::from_bits(0x3ff0fb66affed31b),
    f64::from_bits(0x3ff11301d0125b51), f64::from_bits(0x3ff12abdc06c31cc), f64::from_bits(0x3ff1429aaea92de0), f64::from_bits(0x3ff15a98c8a58e51),
    f64::from_bits(0x3ff172b83c7d517b), f64::from_bits(0x3ff18af9388c8dea), f64::from_bits(0x3ff1a35beb6fcb75), f64::from_bits(0x3ff1bbe084045cd4),
    f64::from_bits(0x3ff1d4873168b9aa), f64::from_bits(0x3ff1ed5022fcd91d), f64::from_bits(0x3ff2063b88628cd6), f64::from_bits(0x3ff21f49917ddc96),
    f64::from_bits(0x3ff2387a6e756238), f64::from_bits(0x3ff251ce4fb2a63f), f64::from_bits(0x3ff26b4565e27cdd), f64::from_bits(0x3ff284dfe1f56381),
    f64::from_bits(0x3ff29e9df51fdee1), f64::from_bits(0x3ff2b87fd0dad990), f64::from_bits(0x3ff2d285a6e4030b), f64::from_bits(0x3ff2ecafa93e2f56),
    f64::from_bits(0x3ff306fe0a31b715), f64::from_bits(0x3ff32170fc4cd831), f64::from_bits(0x3ff33c08b26416ff), f64::from_bits(0x3ff356c55f929ff1),
    f64::from_bits(0x3ff371a7373aa9cb), f64::from_bits(0x3ff38cae6d05d866), f64::from_bits(0x3ff3a7db34e59ff7), f64::from_bits(0x3ff3c32dc313a8e5),
    f64::from_bits(0x3ff3dea64c123422), f64::from_bits(0x3ff3fa4504ac801c), f64::from_bits(0x3ff4160a21f72e2a), f64::from_bits(0x3ff431f5d950a897),
    f64::from_bits(0x3ff44e086061892d), f64::from_bits(0x3ff46a41ed1d0057), f64::from_bits(0x3ff486a2b5c13cd0), f64::from_bits(0x3ff4a32af0d7d3de),
    f64::from_bits(0x3ff4bfdad5362a27), f64::from_bits(0x3ff4dcb299fddd0d), f64::from_bits(0x3ff4f9b2769d2ca7), f64::from_bits(0x3ff516daa2cf6642),
    f64::from_bits(0x3ff5342b569d4f82), f64::from_bits(0x3ff551a4ca5d920f), f64::from_bits(0x3ff56f4736b527da), f64::from_bits(0x3ff58d12d497c7fd),
    f64::from_bits(0x3ff5ab07dd485429), f64::from_bits(0x3ff5c9268a5946b7), f64::from_bits(0x3ff5e76f15ad2148), f64::from_bits(0x3ff605e1b976dc09),
    f64::from_bits(0x3ff6247eb03a5585), f64::from_bits(0x3ff6434634ccc320), f64::from_bits(0x3ff6623882552225), f64::from_bits(0x3ff68155d44ca973),
    f64::from_bits(0x3ff6a09e667f3bcd), f64::from_bits(0x3ff6c012750bdabf), f64::from_bits(0x3ff6dfb23c651a2f), f64::from_bits(0x3ff6ff7df9519484),
    f64::from_bits(0x3ff71f75e8ec5f74), f64::from_bits(0x3ff73f9a48a58174), f64::from_bits(0x3ff75feb564267c9), f64::from_bits(0x3ff780694fde5d3f),
    f64::from_bits(0x3ff7a11473eb0187), f64::from_bits(0x3ff7c1ed0130c132), f64::from_bits(0x3ff7e2f336cf4e62), f64::from_bits(0x3ff80427543e1a12),
    f64::from_bits(0x3ff82589994cce13), f64::from_bits(0x3ff8471a4623c7ad), f64::from_bits(0x3ff868d99b4492ed), f64::from_bits(0x3ff88ac7d98a6699),
    f64::from_bits(0x3ff8ace5422aa0db), f64::from_bits(0x3ff8cf3216b5448c), f64::from_bits(0x3ff8f1ae99157736), f64::from_bits(0x3ff9145b0b91ffc6),
    f64::from_bits(0x3ff93737b0cdc5e5), f64::from_bits(0x3ff95a44cbc8520f), f64::from_bits(0x3ff97d829fde4e50), f64::from_bits(0x3ff9a0f170ca07ba),
    f64::from_bits(0x3ff9c49182a3f090), f64::from_bits(0x3ff9e86319e32323), f64::from_bits(0x3ffa0c667b5de565), f64::from_bits(0x3ffa309bec4a2d33),
    f64::from_bits(0x3ffa5503b23e255d), f64::from_bits(0x3ffa799e1330b358), f64::from_bits(0x3ffa9e6b5579fdbf), f64::from_bits(0x3ffac36bbfd3f37a),
    f64::from_bits(0x3ffae89f995ad3ad), f64::from_bits(0x3ffb0e07298db666), f64::from_bits(0x3ffb33a2b84f15fb), f64::from_bits(0x3ffb59728de5593a),
    f64::from_bits(0x3ffb7f76f2fb5e47), f64::from_bits(0x3ffba5b030a1064a), f64::from_bits(0x3ffbcc1e904bc1d2), f64::from_bits(0x3ffbf2c25bd71e09),
    f64::from_bits(0x3ffc199bdd85529c), f64::from_bits(0x3ffc40ab5fffd07a), f64::from_bits(0x3ffc67f12e57d14b), f64::from_bits(0x3ffc8f6d9406e7b5),
    f64::from_bits(0x3ffcb720dcef9069), f64::from_bits(0x3ffcdf0b555dc3fa), f64::from_bits(0x3ffd072d4a07897c), f64::from_bits(0x3ffd2f87080d89f2),
    f64::from_bits(0x3ffd5818dcfba487), f64::from_bits(0x3ffd80e316c98398), f64::from_bits(0x3ffda9e603db3285), f64::from_bits(0x3ffdd321f301b460),
    f64::from_bits(0x3ffdfc97337b9b5f), f64::from_bits(0x3ffe264614f5a129), f64::from_bits(0x3ffe502ee78b3ff6), f64::from_bits(0x3ffe7a51fbc74c83),
    f64::from_bits(0x3ffea4afa2a490da), f64::from_bits(0x3ffecf482d8e67f1), f64::from_bits(0x3ffefa1bee615a27), f64::from_bits(0x3fff252b376bba97),
    f64::from_bits(0x3fff50765b6e4540), f64::from_bits(0x3fff7bfdad9cbe14), f64::from_bits(0x3fffa7c1819e90d8), f64::from_bits(0x3fffd3c22b8f71f1),
];

/// `x.round() as u64` for finite `0 <= x < 2^53` without a call into libm
/// (`f64::round` is a function call on baseline x86-64): the fraction
/// `x - trunc(x)` is exact there, so this is round-half-away-from-zero bit for
/// bit. Negative or NaN `x` gives 0, like the `as` cast it replaces.
#[inline]
pub fn round_to_u64(x: f64) -> u64 {
    let whole = x as u64;
    whole + u64::from(x - whole as f64 >= 0.5)
}

/// e^x for the log-normal's hot path, about five times faster than `libm::exp` and
/// within 2 ulp of it: x = k ln2/128 + r with |r| <= ln2/256, e^x = 2^(k/128) e^r,
/// 2^(k/128) from a 128-entry table and e^r from its Taylor polynomial to r^5
/// (truncation error below 1e-18). Only IEEE basic operations, no fused
/// multiply-add: the same bits on every platform. Outside |x| < 700 (and for NaN)
/// it is `libm::exp`.
#[inline]
pub fn exp(x: f64) -> f64 {
    const N_OVER_LN2: f64 = 128.0 / std::f64::consts::LN_2;
    // ln2/128 split (Cody and Waite): the high part has 24 significant bits, so
    // k * LN2_N_HI is exact for |k| < 2^28 (here |k| < 2^17).
    const LN2_N_HI: f64 = 0.005_415_212_130_174_041;
    const LN2_N_LO: f64 = 2.179_505_319_354_495_7e-10;
    if x.is_nan() || x.abs() >= 700.0 {
        return libm::exp(x);
    }
    let t = x * N_OVER_LN2;
    let k = (if t >= 0.0 { t + 0.5 } else { t - 0.5 }) as i64;
    let kf = k as f64;
    let r = (x - kf * LN2_N_HI) - kf * LN2_N_LO;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
    let scale = f64::from_bits(((1023 + (k >> 7)) as u64) << 52);
    EXP2_TABLE[(k & 127) as usize] * p * scale
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
        exp(self.norm.sample(rng))
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

    #[test]
    fn round_to_u64_is_f64_round() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let edge = [
            0.0,
            0.5,
            1.5,
            2.5,
            0.499_999_999_999_999_94,
            4_503_599_627_370_495.5,
            86_400e6,
            1e15,
            f64::from_bits(1),
        ];
        let random = (0..100_000).map(|i| {
            let u: f64 = rng.random();
            u * 10f64.powi(i % 16)
        });
        for x in edge.into_iter().chain(random) {
            assert_eq!(round_to_u64(x), x.round() as u64, "{x}");
        }
        assert_eq!(round_to_u64(-3.0), 0);
        assert_eq!(round_to_u64(f64::NAN), 0);
    }

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

    /// The fast exp against libm's over the log-normal's range and beyond: within
    /// 2 ulp (relative 4.5e-16), and exactly libm's outside |x| < 700.
    #[test]
    fn fast_exp_matches_libm() {
        let mut worst = 0.0f64;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for i in 0..200_000 {
            let x = if i % 2 == 0 {
                rng.random_range(-40.0..40.0)
            } else {
                rng.random_range(-699.0..699.0)
            };
            let (a, b) = (exp(x), libm::exp(x));
            worst = worst.max(((a - b) / b).abs());
        }
        assert!(worst < 4.5e-16, "{worst}");
        for x in [0.0, 1.0, -1.0, 1e-300, 10.5, 709.0, -745.0, 800.0] {
            let (a, b) = (exp(x), libm::exp(x));
            assert!(a == b || ((a - b) / b).abs() < 4.5e-16, "{x}: {a} {b}");
        }
        for (j, t) in EXP2_TABLE.iter().enumerate() {
            let want = libm::exp2(j as f64 / 128.0);
            assert!(((t - want) / want).abs() <= f64::EPSILON, "{j}: {t} {want}");
        }
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
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
