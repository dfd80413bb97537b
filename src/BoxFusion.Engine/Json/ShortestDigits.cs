using System;
using System.Numerics;

namespace BoxFusion.Json
{
    /// <summary>
    /// The shortest decimal digits that read back as a given double (among equally short ones, the nearest), by
    /// Ulf Adams' Ryū method (PLDI 2018): fixed-point multiplications by precomputed powers of 5 instead of the
    /// big-number arithmetic the runtime's general formatter falls back on. The writer uses it for the full-precision
    /// numbers fusion produces, where it is several times faster than the runtime and gives the same digits (the
    /// shortest round-trip digits are unique up to that tie rule; WriterTests compare the two on 400,000 values).
    /// </summary>
    internal static class ShortestDigits
    {
        private const int InverseBits = 125;
        private const int PowerBits = 125;
        private static readonly ulong[] InverseTable = BuildTable(342, inverse: true);
        private static readonly ulong[] PowerTable = BuildTable(326, inverse: false);

        /// <summary>
        /// Digits and decimal exponent of a finite, positive, normal or subnormal double: value reads back from
        /// <paramref name="digits"/> × 10^<paramref name="exponent"/>, digits having no trailing zero only when shortest allows.
        /// </summary>
        public static void Compute(double value, out ulong digits, out int exponent)
        {
            ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
            ulong ieeeMantissa = bits & ((1UL << 52) - 1);
            int ieeeExponent = (int)((bits >> 52) & 0x7FF);
            int e2;
            ulong m2;
            if (ieeeExponent == 0) { e2 = 1 - 1023 - 52 - 2; m2 = ieeeMantissa; }
            else { e2 = ieeeExponent - 1023 - 52 - 2; m2 = (1UL << 52) | ieeeMantissa; }
            bool acceptBounds = (m2 & 1) == 0;

            ulong mv = 4 * m2;
            uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
            ulong vr, vp, vm;
            int e10;
            bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
            if (e2 >= 0)
            {
                int q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
                e10 = q;
                int k = InverseBits + Pow5Bits(q) - 1;
                int i = -e2 + q + k;
                vr = MulShift(4 * m2, InverseTable, q, i);
                vp = MulShift(4 * m2 + 2, InverseTable, q, i);
                vm = MulShift(4 * m2 - 1 - mmShift, InverseTable, q, i);
                if (q <= 21)
                {
                    if (mv % 5 == 0) vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                    else if (acceptBounds) vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                    else if (MultipleOfPowerOf5(mv + 2, q)) vp--;
                }
            }
            else
            {
                int q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
                e10 = q + e2;
                int i = -e2 - q;
                int k = Pow5Bits(i) - PowerBits;
                int j = q - k;
                vr = MulShift(4 * m2, PowerTable, i, j);
                vp = MulShift(4 * m2 + 2, PowerTable, i, j);
                vm = MulShift(4 * m2 - 1 - mmShift, PowerTable, i, j);
                if (q <= 1)
                {
                    vrIsTrailingZeros = true;
                    if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
                    else vp--;
                }
                else if (q < 63)
                {
                    vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
                }
            }

            int removed = 0;
            ulong output;
            if (vmIsTrailingZeros || vrIsTrailingZeros)
            {
                int lastRemovedDigit = 0;
                while (vp / 10 > vm / 10)
                {
                    vmIsTrailingZeros &= vm % 10 == 0;
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = (int)(vr % 10);
                    vr /= 10; vp /= 10; vm /= 10;
                    removed++;
                }
                if (vmIsTrailingZeros)
                {
                    while (vm % 10 == 0)
                    {
                        vrIsTrailingZeros &= lastRemovedDigit == 0;
                        lastRemovedDigit = (int)(vr % 10);
                        vr /= 10; vp /= 10; vm /= 10;
                        removed++;
                    }
                }
                if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4; // exactly halfway: to even
                output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
            }
            else
            {
                bool roundUp = false;
                if (vp / 100 > vm / 100)
                {
                    roundUp = vr % 100 >= 50;
                    vr /= 100; vp /= 100; vm /= 100;
                    removed += 2;
                }
                while (vp / 10 > vm / 10)
                {
                    roundUp = vr % 10 >= 5;
                    vr /= 10; vp /= 10; vm /= 10;
                    removed++;
                }
                output = vr + (vr == vm || roundUp ? 1UL : 0UL);
            }
            digits = output;
            exponent = e10 + removed;
        }

        private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);
        private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);
        private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

        private static bool MultipleOfPowerOf5(ulong value, int p)
        {
            int count = 0;
            while (value % 5 == 0) { value /= 5; count++; }
            return count >= p;
        }

        /// <summary>(m × table[index]) >> shift, the table entry being 128 bits (low word first) and shift at least 64.</summary>
        private static ulong MulShift(ulong m, ulong[] table, int index, int shift)
        {
            ulong lowHigh = MultiplyHigh(m, table[2 * index], out _);
            ulong high = MultiplyHigh(m, table[2 * index + 1], out ulong highLow);
            ulong sum = highLow + lowHigh;
            if (sum < highLow) high++;
            int s = shift - 64;
            return s == 0 ? sum : (high << (64 - s)) | (sum >> s);
        }

        /// <summary>The high 64 bits of a × b; the low 64 in <paramref name="low"/>.</summary>
        private static ulong MultiplyHigh(ulong a, ulong b, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong ll = aLow * bLow, lh = aLow * bHigh, hl = aHigh * bLow, hh = aHigh * bHigh;
            ulong middle = (ll >> 32) + (uint)lh + (uint)hl;
            low = (middle << 32) | (uint)ll;
            return hh + (lh >> 32) + (hl >> 32) + (middle >> 32);
        }

        /// <summary>
        /// 128-bit entries, low word first: 5^i scaled to <see cref="PowerBits"/> bits, or the rounded-up
        /// 2^(bits(5^i) - 1 + <see cref="InverseBits"/>) / 5^i. Computed once, exactly, with BigInteger.
        /// </summary>
        private static ulong[] BuildTable(int count, bool inverse)
        {
            var table = new ulong[2 * count];
            var mask = (BigInteger.One << 64) - 1;
            for (int i = 0; i < count; i++)
            {
                var pow = BigInteger.Pow(5, i);
                int bits = Pow5Bits(i);
                BigInteger entry;
                if (inverse)
                {
                    var numerator = BigInteger.One << (bits - 1 + InverseBits);
                    entry = BigInteger.DivRem(numerator, pow, out var remainder);
                    if (!remainder.IsZero) entry += 1;
                }
                else entry = bits > PowerBits ? pow >> (bits - PowerBits) : pow << (PowerBits - bits);
                table[2 * i] = (ulong)(entry & mask);
                table[2 * i + 1] = (ulong)(entry >> 64);
            }
            return table;
        }
    }
}
