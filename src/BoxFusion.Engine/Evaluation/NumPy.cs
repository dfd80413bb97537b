using System;
using System.Runtime.CompilerServices;

namespace BoxFusion.Evaluation
{
    /// <summary>The bits of numpy arithmetic COCOeval depends on, reproduced to the last bit.</summary>
    internal static class NumPy
    {
        /// <summary>np.spacing(1): the distance from 1.0 to the next double.</summary>
        public const double Spacing1 = 2.220446049250313e-16;

        /// <summary>np.linspace(start, stop, num, endpoint=True): step = (stop-start)/(num-1); y = i*step + start; y[-1] = stop.</summary>
        public static double[] Linspace(double start, double stop, int num)
        {
            var y = new double[num];
            if (num == 0) return y;
            int div = num - 1;
            double delta = stop - start;
            if (div == 0)
            {
                y[0] = start;
                return y;
            }
            double step = delta / div;
            for (int i = 0; i < num; i++)
                y[i] = step == 0 ? (i / (double)div) * delta + start : i * step + start;
            y[num - 1] = stop;
            return y;
        }

        /// <summary>int(np.round(x)): round half to even.</summary>
        public static int RoundToInt(double x) => (int)Math.Round(x, MidpointRounding.ToEven);

        /// <summary>
        /// np.mean of a 1-D float64 array: numpy's add.reduce starts from 0.0 and adds the pairwise sum of each
        /// buffer-sized block (8192 elements) in turn; then divides by the count. Matches pycocotools' stats bit for bit.
        /// </summary>
        public static double Mean(double[] values, int count)
        {
            double sum = 0.0;
            for (int start = 0; start < count; start += 8192)
                sum += PairwiseSum(values, start, Math.Min(8192, count - start));
            return sum / count;
        }

        /// <summary>numpy's pairwise_sum for float64 (unrolled by 8, blocks of 128).</summary>
        public static double PairwiseSum(double[] a, int start, int n)
        {
            if (n < 8)
            {
                double res = 0.0;
                for (int i = 0; i < n; i++) res += a[start + i];
                return res;
            }
            if (n <= 128)
            {
                double r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
                double r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
                int i;
                for (i = 8; i < n - (n % 8); i += 8)
                {
                    int p = start + i;
                    r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
                    r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
                }
                double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
                for (; i < n; i++) res += a[start + i];
                return res;
            }
            int n2 = n / 2;
            n2 -= n2 % 8;
            return PairwiseSum(a, start, n2) + PairwiseSum(a, start + n2, n - n2);
        }
    }

    /// <summary>Orders item indices; used by <see cref="StableSort"/>.</summary>
    internal interface IIndexOrder
    {
        /// <summary>True when item a must come before item b (strictly).</summary>
        bool Before(int a, int b);
    }

    /// <summary>Stable merge sort of index arrays (the semantics of numpy's kind='mergesort').</summary>
    internal static class StableSort
    {
        [MethodImpl(Tiering.Hot)]
        public static void Sort<TOrder>(int[] items, int start, int count, ref int[] scratch, TOrder order) where TOrder : struct, IIndexOrder
        {
            if (count < 2) return;
            if (count <= 24)
            {
                InsertionSort(items, start, count, order);
                return;
            }
            if (scratch == null || scratch.Length < count) scratch = new int[Math.Max(count, 64)];
            // Runs of 16 by insertion sort, then bottom-up merges between items and scratch.
            const int run = 16;
            for (int s = 0; s < count; s += run)
                InsertionSort(items, start + s, Math.Min(run, count - s), order);
            int[] src = items, dst = scratch;
            int srcBase = start, dstBase = 0;
            for (int width = run; width < count; width *= 2)
            {
                for (int lo = 0; lo < count; lo += 2 * width)
                {
                    int mid = Math.Min(lo + width, count), hi = Math.Min(lo + 2 * width, count);
                    int i = lo, j = mid, k = lo;
                    while (i < mid && j < hi)
                    {
                        int left = src[srcBase + i], right = src[srcBase + j];
                        if (order.Before(right, left)) { dst[dstBase + k++] = right; j++; }
                        else { dst[dstBase + k++] = left; i++; }
                    }
                    while (i < mid) dst[dstBase + k++] = src[srcBase + i++];
                    while (j < hi) dst[dstBase + k++] = src[srcBase + j++];
                }
                var t = src; src = dst; dst = t;
                int tb = srcBase; srcBase = dstBase; dstBase = tb;
            }
            if (src != items) Array.Copy(src, srcBase, items, start, count);
        }

        [MethodImpl(Tiering.Hot)]
        private static void InsertionSort<TOrder>(int[] a, int start, int count, TOrder order) where TOrder : struct, IIndexOrder
        {
            for (int i = start + 1; i < start + count; i++)
            {
                int item = a[i];
                int j = i - 1;
                while (j >= start && order.Before(item, a[j]))
                {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = item;
            }
        }

        /// <summary>np.argsort(-score) order: higher score first, NaN last, ties keep their order.</summary>
        public static bool HigherScore(double a, double b) => a > b || (!double.IsNaN(a) && double.IsNaN(b));
    }
}
