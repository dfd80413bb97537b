using System;
using System.Globalization;
using System.Numerics;

namespace BoxFusion.Json
{
    /// <summary>
    /// Numbers rounded to a number of decimals (Export-Submission -Decimals). The rounding works on the double's exact
    /// binary value, halves away from zero: 0.125 becomes 0.13 with 2 decimals, and 2.675, held as 2.67499999999999982…,
    /// becomes 2.67. The text is the shortest that reads back as the double nearest the rounded number: the rounded
    /// number itself when it has at most 15 digits in all (plain notation, no trailing zeros), otherwise as without
    /// rounding. Zero, also from a small negative number, is written 0.
    /// </summary>
    internal static class RoundedNumber
    {
        private static readonly double[] PowersOf10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
        private const double TwoTo52 = 4503599627370496.0; // from here on every double is a whole number
        private const double TwoTo53 = 9007199254740992.0;
        private const ulong FifteenDigitLimit = 1000000000000000UL;

        /// <summary>The double nearest <paramref name="value"/> rounded to <paramref name="decimals"/> decimals (0 to 15).</summary>
        internal static double Round(double value, int decimals)
        {
            double magnitude = Math.Abs(value);
            if (magnitude >= TwoTo52 || double.IsNaN(value)) return value;
            double rounded;
            if (TryScale(magnitude, decimals, out ulong fast))
            {
                // At most 2^52 and 10^decimals are both exact, so the division rounds once: the nearest double.
                rounded = fast / PowersOf10[decimals];
            }
            else
            {
                BigInteger exact = ScaleExactly(magnitude, decimals);
                rounded = exact <= new BigInteger(TwoTo53)
                    ? (double)exact / PowersOf10[decimals]
                    : double.Parse(Text(exact, decimals), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            if (rounded == 0) return 0.0;
            return value < 0 ? -rounded : rounded;
        }

        /// <summary>Writes <paramref name="value"/> (finite) rounded to <paramref name="decimals"/> decimals; 32 bytes suffice.</summary>
        internal static int Write(byte[] b, int p, double value, int decimals)
        {
            double magnitude = Math.Abs(value);
            if (magnitude < TwoTo52 && TryScale(magnitude, decimals, out ulong scaled) && scaled < FifteenDigitLimit)
            {
                if (value < 0 && scaled != 0) b[p++] = (byte)'-';
                return ShortestNumber.WritePlain(b, p, scaled, decimals);
            }
            if (magnitude < TwoTo52)
            {
                BigInteger exact = ScaleExactly(magnitude, decimals);
                if (exact < FifteenDigitLimit)
                {
                    if (value < 0 && !exact.IsZero) b[p++] = (byte)'-';
                    return ShortestNumber.WritePlain(b, p, (ulong)exact, decimals);
                }
            }
            // Sixteen digits or more: as many as a double holds, so the rounded double's own shortest text is no longer.
            return ShortestNumber.Write(b, p, Round(value, decimals));
        }

        /// <summary>
        /// magnitude × 10^decimals rounded half away from zero, from one floating-point product; false when that product
        /// lies too near a half (within its own rounding error, s × 2^-53, here given twice the room) or is too large.
        /// </summary>
        internal static bool TryScale(double magnitude, int decimals, out ulong scaled)
        {
            double product = magnitude * PowersOf10[decimals];
            scaled = 0;
            if (!(product < TwoTo52)) return false;
            double whole = Math.Floor(product), fraction = product - whole, doubt = product * (1.0 / TwoTo52);
            if (fraction < 0.5 - doubt) scaled = (ulong)whole;
            else if (fraction > 0.5 + doubt) scaled = (ulong)whole + 1;
            else return false;
            return true;
        }

        /// <summary>The same, exactly: mantissa × 10^decimals × 2^exponent with the dropped bits compared to a half.</summary>
        internal static BigInteger ScaleExactly(double magnitude, int decimals)
        {
            long bits = BitConverter.DoubleToInt64Bits(magnitude);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            int exponent = (int)((bits >> 52) & 0x7FF);
            if (exponent == 0) exponent = 1; // subnormal: no hidden bit
            else mantissa |= 1L << 52;
            int binaryExponent = exponent - 1075;
            BigInteger product = mantissa * BigInteger.Pow(10, decimals);
            if (binaryExponent >= 0) return product << binaryExponent;
            BigInteger whole = product >> -binaryExponent;
            BigInteger dropped = product - (whole << -binaryExponent);
            return dropped >= BigInteger.One << (-binaryExponent - 1) ? whole + 1 : whole;
        }

        private static string Text(BigInteger scaled, int decimals)
        {
            string digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            return decimals == 0 ? digits : digits.Substring(0, digits.Length - decimals) + "." + digits.Substring(digits.Length - decimals);
        }
    }
}
