using System;

namespace BoxFusion.Synthetic
{
    /// <summary>
    /// SplitMix64: a small, fast generator whose output is fixed by its seed alone (System.Random's
    /// algorithm is not promised to stay the same between .NET versions). Streams for an image, a model
    /// or a parameter are keyed with <see cref="For"/>, so each can be made on any thread in any order.
    /// </summary>
    internal sealed class SplitMix
    {
        private ulong state;

        public SplitMix(ulong seed) { state = seed; }

        /// <summary>A stream for the given keys, independent of every other combination of keys.</summary>
        public static SplitMix For(int seed, ulong stream, ulong a = 0, ulong b = 0)
        {
            ulong h = Mix((ulong)(uint)seed ^ 0x5DEECE66DUL);
            h = Mix(h ^ (stream * 0x9E3779B97F4A7C15UL));
            h = Mix(h ^ ((a + 1) * 0xC2B2AE3D27D4EB4FUL));
            h = Mix(h ^ ((b + 1) * 0x165667B19E3779F9UL));
            return new SplitMix(h);
        }

        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public ulong NextUInt64()
        {
            state += 0x9E3779B97F4A7C15UL;
            return Mix(state);
        }

        /// <summary>Uniform in [0, 1), 53 bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

        public double Uniform(double low, double high) => low + (high - low) * NextDouble();

        /// <summary>Uniform integer in [0, n).</summary>
        public int NextInt(int n)
        {
            if (n <= 1) return 0;
            return (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);
        }

        public bool Chance(double p) => NextDouble() < p;

        /// <summary>Standard normal, Marsaglia's polar method (no sine or cosine).</summary>
        public double Normal()
        {
            while (true)
            {
                double u = 2.0 * NextDouble() - 1.0;
                double v = 2.0 * NextDouble() - 1.0;
                double s = u * u + v * v;
                if (s > 0.0 && s < 1.0)
                    return u * Math.Sqrt(-2.0 * DetMath.Log(s) / s);
            }
        }

        /// <summary>Poisson count; a rounded normal for large means.</summary>
        public int Poisson(double mean)
        {
            if (mean <= 0) return 0;
            if (mean > 40)
            {
                double x = Math.Floor(mean + Math.Sqrt(mean) * Normal() + 0.5);
                return x < 0 ? 0 : (int)x;
            }
            double limit = DetMath.Exp(-mean), product = NextDouble();
            int k = 0;
            while (product > limit)
            {
                k++;
                product *= NextDouble();
            }
            return k;
        }

        /// <summary>One value in [0, 1) for each of n models, one from each of n equal strata, in random order: models always differ.</summary>
        public double[] Stratified(int n)
        {
            var values = new double[n];
            for (int i = 0; i < n; i++) values[i] = (i + NextDouble()) / n;
            Shuffle(values);
            return values;
        }

        public void Shuffle<T>(T[] items)
        {
            for (int i = items.Length - 1; i > 0; i--)
            {
                int j = NextInt(i + 1);
                T t = items[i];
                items[i] = items[j];
                items[j] = t;
            }
        }
    }

    /// <summary>
    /// exp and log from + - * / and sqrt only, which IEEE 754 rounds the same everywhere, so the data do
    /// not depend on the platform's maths library. Accurate to a few ulp, which is plenty here.
    /// </summary>
    internal static class DetMath
    {
        private const double Ln2Hi = 6.93147180369123816490e-01;
        private const double Ln2Lo = 1.90821492927058770002e-10;
        private const double InvLn2 = 1.44269504088896338700e+00;

        public static double Exp(double x)
        {
            if (double.IsNaN(x)) return x;
            if (x > 709) return double.PositiveInfinity;
            if (x < -708) return 0.0;
            double k = Math.Floor(x * InvLn2 + 0.5);
            double r = (x - k * Ln2Hi) - k * Ln2Lo;
            // Taylor series of e^r for |r| <= 0.35, Horner form.
            double sum = 1.0;
            for (int n = 14; n >= 1; n--) sum = 1.0 + sum * r / n;
            long bits = ((long)k + 1023) << 52;
            return sum * BitConverter.Int64BitsToDouble(bits);
        }

        public static double Log(double x)
        {
            if (!(x > 0)) return x == 0 ? double.NegativeInfinity : double.NaN;
            if (double.IsPositiveInfinity(x)) return x;
            long bits = BitConverter.DoubleToInt64Bits(x);
            int exponent = (int)((bits >> 52) & 0x7FF);
            if (exponent == 0)
            {
                // Subnormal: scale up by 2^54 first.
                x *= 18014398509481984.0;
                bits = BitConverter.DoubleToInt64Bits(x);
                exponent = (int)((bits >> 52) & 0x7FF) - 54;
            }
            int e = exponent - 1023;
            double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
            if (m > 1.4142135623730951)
            {
                m *= 0.5;
                e++;
            }
            // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172.
            double s = (m - 1.0) / (m + 1.0), s2 = s * s, term = s, series = 0.0;
            for (int n = 1; n <= 25; n += 2)
            {
                series += term / n;
                term *= s2;
            }
            return 2.0 * series + e * Ln2Hi + e * Ln2Lo;
        }

        public static double Sigmoid(double z) => 1.0 / (1.0 + Exp(-z));

        public static double Logit(double p) => Log(p / (1.0 - p));
    }
}
