using System;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Orders positions by score, highest first, with a radix sort of a coarse 32-bit key per score: the high half of
    /// the double's bits, which for non-negative numbers rank as the numbers do. Scores that share a key (agree to about
    /// six digits) keep their positions' order; callers settle those runs exactly. On a few hundred scores this beats a
    /// comparison sort several times over, and it has no branch a predictor must guess.
    /// </summary>
    internal sealed class ScoreRadix
    {
        private uint[] keys = new uint[256], spareKeys = new uint[256];
        private int[] spareIndex = new int[256];
        private readonly int[] counts = new int[256];

        /// <summary>The key of a score that is not negative and not NaN: a higher score never gets a larger key; 0 and -0 get one key.</summary>
        public static uint DescendingKey(double score) =>
            (uint)(int.MaxValue - (score == 0 ? 0 : BitConverter.DoubleToInt64Bits(score) >> 32));

        /// <summary>The keys to fill (position i's key at i) before <see cref="Sort"/>; at least <paramref name="n"/> long.</summary>
        public uint[] KeysFor(int n)
        {
            if (keys.Length < n)
            {
                keys = new uint[n * 2];
                spareKeys = new uint[n * 2];
                spareIndex = new int[n * 2];
            }
            return keys;
        }

        /// <summary>
        /// Sorts positions 0..n-1 by their keys, ties by position, into <paramref name="index"/>; returns the keys in that order.
        /// </summary>
        public uint[] Sort(int n, int[] index)
        {
            uint[] from = keys, to = spareKeys;
            int[] fromIndex = index, toIndex = spareIndex;
            for (int i = 0; i < n; i++) index[i] = i;
            for (int shift = 0; shift < 32; shift += 8)
            {
                Array.Clear(counts, 0, counts.Length);
                for (int i = 0; i < n; i++) counts[(from[i] >> shift) & 0xFF]++;
                if (counts[(from[0] >> shift) & 0xFF] == n) continue; // one digit for all: this pass would change nothing
                int sum = 0;
                for (int d = 0; d < counts.Length; d++)
                {
                    int c = counts[d];
                    counts[d] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++)
                {
                    uint key = from[i];
                    int at = counts[(key >> shift) & 0xFF]++;
                    to[at] = key;
                    toIndex[at] = fromIndex[i];
                }
                (from, to) = (to, from);
                (fromIndex, toIndex) = (toIndex, fromIndex);
            }
            if (!ReferenceEquals(fromIndex, index)) Array.Copy(fromIndex, index, n);
            return from;
        }
    }
}
