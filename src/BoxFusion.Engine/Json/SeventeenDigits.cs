using System;

namespace BoxFusion.Json
{
    /// <summary>
    /// The shortest text of a full-precision double between 0.001 and 1e9 when that text has 16 or 17 significant digits,
    /// as fused averages mostly do: exact integer arithmetic, no search. For v = m·2^-s and k decimals, the nearest
    /// candidate is d = round(m·10^k / 2^s), and it reads back as v when it lies within half a unit in the last place:
    /// |d·2^s − m·10^k| &lt; 10^k / 2. Anything else (fewer digits, ties, interval edges, powers of two) is left to the
    /// runtime, so the text is always the runtime's shortest round-trip text.
    /// </summary>
    internal static class SeventeenDigits
    {
        private static readonly double[] DecimalPowers = { 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };
        private static readonly ulong[] PowersOf10 = Powers();

        private static ulong[] Powers()
        {
            var powers = new ulong[20];
            powers[0] = 1;
            for (int i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * 10;
            return powers;
        }

        /// <summary>The digits and decimals of <paramref name="magnitude"/>'s shortest text, if it has 16 or 17 significant digits.</summary>
        public static bool TryFind(double magnitude, out ulong digits, out int decimals)
        {
            digits = 0;
            decimals = 0;
            if (!(magnitude >= 1e-3 && magnitude < 1e9)) return false;
            long bits = BitConverter.DoubleToInt64Bits(magnitude);
            ulong fraction = (ulong)bits & ((1UL << 52) - 1);
            // A power of two has a narrower interval below it than above: not handled here.
            if (fraction == 0) return false;
            ulong m = fraction | (1UL << 52);
            int s = 1075 - (int)((bits >> 52) & 0x7FF); // v = m / 2^s; 23 <= s <= 63 in this range
            int exponent = 8; // floor(log10 v): the nearest doubles of 0.001, 0.01 and 0.1 lie above the exact powers
            while (magnitude < DecimalPowers[exponent + 3]) exponent--;

            int k16 = 15 - exponent;
            var fit16 = Nearest(m, s, k16, out ulong d16);
            if (fit16 == Fit.Outside)
            {
                // 17 digits always read back, unless the rounding is a tie or carries into an 18th digit.
                int k17 = k16 + 1;
                if (Nearest(m, s, k17, out ulong d17) != Fit.Inside || d17 >= PowersOf10[17]) return false;
                digits = d17;
                decimals = k17;
                return true;
            }
            // 16 digits read back; fewer might too, which the runtime decides.
            if (fit16 != Fit.Inside || d16 >= PowersOf10[16] || Nearest(m, s, k16 - 1, out _) != Fit.Outside) return false;
            digits = d16;
            decimals = k16;
            return true;
        }

        private enum Fit { Inside, Outside, Unsure }

        /// <summary>d = m·10^k / 2^s rounded to nearest, and whether it reads back as m / 2^s (ties and edges: unsure).</summary>
        private static Fit Nearest(ulong m, int s, int k, out ulong d)
        {
            ulong power = PowersOf10[k];
            Multiply(m, power, out ulong high, out ulong low);
            d = (high << (64 - s)) | (low >> s);
            ulong rest = low & ((1UL << s) - 1), half = 1UL << (s - 1), distance;
            if (rest > half)
            {
                d++;
                distance = (1UL << s) - rest;
            }
            else if (rest < half)
            {
                distance = rest;
            }
            else
            {
                return Fit.Unsure;
            }
            ulong twice = distance << 1; // below 2^64: distance <= 2^62
            return twice < power ? Fit.Inside : twice > power ? Fit.Outside : Fit.Unsure;
        }

        /// <summary>The 128-bit product of two 64-bit numbers (netstandard2.0 has no such call).</summary>
        private static void Multiply(ulong a, ulong b, out ulong high, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow, lowHigh = aLow * bHigh, highLow = aHigh * bLow, highHigh = aHigh * bHigh;
            ulong middle = (lowLow >> 32) + (uint)lowHigh + (uint)highLow;
            low = (middle << 32) | (uint)lowLow;
            high = highHigh + (lowHigh >> 32) + (highLow >> 32) + (middle >> 32);
        }
    }
}
