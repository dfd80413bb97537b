using System;
using System.Buffers.Text;

namespace BoxFusion.Json
{
    /// <summary>
    /// The writer's full-precision number text: the fewest significant digits that read back as the same double, as the
    /// runtime's round-trip formatting chooses them, but found with exact 128-bit integer arithmetic for the magnitudes
    /// boxes and scores have (1e-4 up to 1e9). Where that arithmetic could not be sure to pick the runtime's digits (a
    /// power of two, whose gap to the number below is half the gap above; two equally near candidates), and for other
    /// magnitudes, the runtime formats the value, so the bytes are those of the runtime's formatting in every case.
    /// </summary>
    internal static class ShortestNumber
    {
        private static readonly ulong[] PowersOf10 = Powers(10, 20);
        private static readonly ulong[] PowersOf5 = Powers(5, 28);
        private static readonly double[] SmallPowersOf10 = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
        private static readonly double[] DoublePowersOf10 = { 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
        private static readonly byte[] DigitPairs = Pairs();
        private const ulong SeventeenDigits = 10000000000000000UL; // the smallest 17-digit number

        private static byte[] Pairs()
        {
            var pairs = new byte[200];
            for (int i = 0; i < 100; i++)
            {
                pairs[2 * i] = (byte)('0' + i / 10);
                pairs[2 * i + 1] = (byte)('0' + i % 10);
            }
            return pairs;
        }

        private static ulong[] Powers(ulong radix, int count)
        {
            var powers = new ulong[count];
            powers[0] = 1;
            for (int i = 1; i < count; i++) powers[i] = powers[i - 1] * radix;
            return powers;
        }

        /// <summary>Writes <paramref name="value"/> (finite) at <paramref name="p"/>; returns the position after it. 32 bytes suffice.</summary>
        internal static int Write(byte[] b, int p, double value)
        {
            double magnitude = Math.Abs(value);
            if (magnitude >= 1e-4 && magnitude < 1e9 && TryDigits(magnitude, out ulong digits, out int scale))
            {
                if (value < 0) b[p++] = (byte)'-';
                return WritePlain(b, p, digits, scale);
            }
            return WriteOtherwise(b, p, value);
        }

        /// <summary>
        /// The shortest decimal, as <paramref name="digits"/> × 10^-<paramref name="scale"/>, that reads back as
        /// <paramref name="magnitude"/> (positive, normal); false where the runtime must decide.
        /// </summary>
        internal static bool TryDigits(double magnitude, out ulong digits, out int scale)
        {
            digits = 0;
            scale = 0;
            long bits = BitConverter.DoubleToInt64Bits(magnitude);
            ulong fraction = (ulong)bits & 0xFFFFFFFFFFFFFUL;
            int exponent = (int)(bits >> 52);
            if (fraction == 0 || exponent == 0) return false;
            ulong mantissa = fraction | (1UL << 52);
            int binaryExponent = exponent - 1075; // magnitude = mantissa × 2^binaryExponent

            // Scale by 10^k so that the integer part q has exactly 17 digits: magnitude × 10^k = mantissa × 5^k / 2^shift,
            // held exactly as the 128-bit product (high, low); rest is what the shift drops, in units of 2^-shift.
            int estimate = (int)Math.Floor((binaryExponent + 52) * 0.30102999566398120); // log10, or one less
            if (estimate >= -5 && estimate < 9 && magnitude >= DoublePowersOf10[estimate + 6]) estimate++;
            int k = 16 - estimate;
            ulong q = 0, rest = 0;
            int shift = 0;
            for (int attempt = 0; ; attempt++)
            {
                shift = -(k + binaryExponent);
                if (attempt > 2 || k < 0 || k >= PowersOf5.Length || shift < 1 || shift > 63) return false;
                Multiply(mantissa, PowersOf5[k], out ulong high, out ulong low);
                if ((high >> shift) != 0) { k--; continue; }
                q = (high << (64 - shift)) | (low >> shift);
                rest = low & ((1UL << shift) - 1);
                if (q < SeventeenDigits) k++;
                else if (q >= 10 * SeventeenDigits) k--;
                else break;
            }

            // A decimal reads back as this double when it lies within half a unit in the last place of it: 5^k / 2 in
            // the units of q × 2^shift. That half is never a whole number, so no candidate lies exactly on the edge.
            ulong halfUnit = PowersOf5[k] >> 1;

            // All 17 digits: q rounded by what the shift dropped (a tie there is the runtime's to settle).
            ulong halfStep = 1UL << (shift - 1);
            if (rest == halfStep) return false;
            bool roundUp = rest > halfStep;
            if (!Within(roundUp ? 1UL : 0UL, rest, roundUp, shift, halfUnit)) return false;
            ulong best = q + (roundUp ? 1UL : 0UL);

            // Its trailing zeros can go at no cost: no shorter candidate lies nearer. Values with few decimals (scores
            // such as 0.750078) have many, and start the search below past them.
            int start = 1;
            for (ulong rounded = best; start < 17 && rounded % 10 == 0; start++) rounded /= 10;

            // Drop one more trailing digit while the nearest shorter decimal still reads back; once one does not, no
            // shorter one can (the gap is the same on both sides, and the nearest candidate is nearest of them all).
            ulong kept = start == 1 ? q : q / PowersOf10[start - 1];
            for (int j = start; j <= 16; j++)
            {
                kept /= 10; // a constant divisor: cheaper than q / 10^j
                ulong unit = PowersOf10[j], below = q - kept * unit, half = unit >> 1;
                bool up = below > half || (below == half && rest != 0);
                if (!Within(up ? unit - below : below, rest, up, shift, halfUnit)) break;
                if (below == half && rest == 0) return false; // a tie between two candidates: the runtime decides
                best = (kept + (up ? 1UL : 0UL)) * unit;
            }
            digits = best;
            scale = k;
            return true;
        }

        /// <summary>Whether units × 2^shift ∓ rest (the candidate's distance from the value) is at most halfUnit.</summary>
        private static bool Within(ulong units, ulong rest, bool up, int shift, ulong halfUnit)
        {
            ulong high = units >> (64 - shift), low = units << shift;
            if (up)
            {
                if (low < rest) high--;
                low -= rest;
            }
            else
            {
                low += rest;
                if (low < rest) high++;
            }
            return high == 0 && low <= halfUnit;
        }

        /// <summary>The full 128-bit product of two 64-bit numbers.</summary>
        private static void Multiply(ulong a, ulong b, out ulong high, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow, highLow = aHigh * bLow, lowHigh = aLow * bHigh, highHigh = aHigh * bHigh;
            ulong middle = (lowLow >> 32) + (uint)highLow + (uint)lowHigh;
            low = (middle << 32) | (uint)lowLow;
            high = highHigh + (highLow >> 32) + (lowHigh >> 32) + (middle >> 32);
        }

        /// <summary>digits × 10^-scale in plain notation, without trailing zeros (scale may be negative).</summary>
        internal static int WritePlain(byte[] b, int p, ulong digits, int scale)
        {
            if (digits == 0)
            {
                b[p] = (byte)'0';
                return p + 1;
            }
            while (scale > 0)
            {
                ulong tenth = digits / 10;
                if (digits - tenth * 10 != 0) break;
                digits = tenth;
                scale--;
            }
            int count = PowersOf10.Length;
            while (count > 1 && digits < PowersOf10[count - 1]) count--;
            int whole = count - scale; // digits before the point
            if (whole <= 0)
            {
                b[p++] = (byte)'0';
                b[p++] = (byte)'.';
                for (int i = whole; i < 0; i++) b[p++] = (byte)'0';
                return Digits(b, p + count - 1, digits, count, -1);
            }
            if (scale <= 0)
            {
                p = Digits(b, p + count - 1, digits, count, -1);
                for (int i = scale; i < 0; i++) b[p++] = (byte)'0';
                return p;
            }
            return Digits(b, p + count, digits, count, scale);
        }

        /// <summary>The digits of value, the last at b[last], a point before the last <paramref name="point"/> of them.</summary>
        private static int Digits(byte[] b, int last, ulong value, int count, int point)
        {
            int p = last, i = 0;
            while (i < count)
            {
                if (i == point) b[p--] = (byte)'.';
                if (count - i >= 2 && point - i != 1)
                {
                    // Two digits at a time where no point falls between them.
                    ulong hundredth = value / 100;
                    int pair = 2 * (int)(value - hundredth * 100);
                    b[p--] = DigitPairs[pair + 1];
                    b[p--] = DigitPairs[pair];
                    value = hundredth;
                    i += 2;
                }
                else
                {
                    ulong tenth = value / 10;
                    b[p--] = (byte)('0' + (int)(value - tenth * 10));
                    value = tenth;
                    i++;
                }
            }
            return last + 1;
        }

        /// <summary>
        /// The way for other magnitudes and the uncertain cases: values with at most 6 decimals below 1e9 printed from
        /// integers (as the writer always has), the runtime's round-trip formatting for the rest.
        /// </summary>
        private static int WriteOtherwise(byte[] b, int p, double value)
        {
            double magnitude = Math.Abs(value);
            if (magnitude < 1e9)
            {
                for (int k = 0; k < SmallPowersOf10.Length; k++)
                {
                    double scaled = magnitude * SmallPowersOf10[k];
                    double whole = Math.Round(scaled);
                    if (whole != scaled || whole / SmallPowersOf10[k] != magnitude) continue;
                    if (value < 0) b[p++] = (byte)'-';
                    return WritePlain(b, p, (ulong)whole, k);
                }
            }
            Utf8Formatter.TryFormat(value, new Span<byte>(b, p, 32), out int n);
            return p + n;
        }
    }
}
