using System;
using System.Buffers.Text;

namespace BoxFusion.Json
{
    /// <summary>
    /// The writer's number text: full precision (the fewest digits that read back as the same double) and, for
    /// -Decimals, a scaled integer in plain notation.
    /// </summary>
    internal static class ShortestNumber
    {
        private static readonly ulong[] PowersOf10 = Powers(10, 20);
        private static readonly double[] SmallPowersOf10 = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
        private static readonly byte[] DigitPairs = Pairs();

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

        /// <summary>
        /// Writes <paramref name="value"/> (finite) at <paramref name="p"/>; returns the position after it. 32 bytes suffice.
        /// Values with at most 6 decimals below 1e9 are printed from integers, and so are those between 0.001 and 1e9 whose
        /// shortest text has 16 or 17 significant digits (<see cref="SeventeenDigits"/>); the rest take the runtime's
        /// round-trip formatting, which gives the same text for all of them.
        /// </summary>
        internal static int Write(byte[] b, int p, double value)
        {
            double magnitude = Math.Abs(value);
            // Only a value within rounding error of a multiple of 1e-6 can have at most 6 decimals (the error is below
            // 2.3e-16 of it): one test spares full-precision values, such as fused averages, the seven tries below.
            double micro = magnitude * 1e6;
            if (magnitude < 1e9 && Math.Abs(micro - Math.Round(micro)) <= micro * 1e-15)
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
            if (SeventeenDigits.TryFind(magnitude, out ulong digits, out int decimals))
            {
                if (value < 0) b[p++] = (byte)'-';
                return WritePlain(b, p, digits, decimals);
            }
            Utf8Formatter.TryFormat(value, new Span<byte>(b, p, 32), out int n);
            return p + n;
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
    }
}
