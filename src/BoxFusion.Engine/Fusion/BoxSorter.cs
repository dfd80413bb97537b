using System;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Orders an image's prepared boxes: by category (contiguous runs), then by weighted score, highest first,
    /// ties in input order; or by category then input order (Soft-NMS). Sorts primitive keys, not the structs.
    /// </summary>
    internal static class BoxSorter
    {
        /// <summary>Category spans up to this many values (or up to the box count) are bucketed instead of sorted.</summary>
        private const int CountingSpan = 4096;

        /// <summary>Runs this short are ordered by insertion, which beats a sort call on the few boxes of one category.</summary>
        private const int InsertionRun = 24;

        public static void Sort(FusionScratch s, bool byCategory, bool byScore)
        {
            int n = s.BoxCount;
            if (n < 2) return;
            var boxes = s.Boxes;
            var index = s.SortIndex;
            // 1. Category, then input order (boxes are prepared in input order).
            if (byCategory) OrderByCategory(s, n);
            else
            {
                for (int i = 0; i < n; i++) index[i] = i;
            }
            // 2. Within each category run, weighted score descending; equal scores keep input order.
            if (byScore)
            {
                var scores = s.Work;
                for (int start = 0; start < n;)
                {
                    int end = start + 1;
                    if (byCategory) while (end < n && boxes[index[end]].Category == boxes[index[start]].Category) end++;
                    else end = n;
                    if (end - start > 1)
                    {
                        for (int i = start; i < end; i++) scores[i] = -boxes[index[i]].WeightedScore;
                        if (end - start <= InsertionRun) InsertionSort(scores, index, start, end);
                        else
                        {
                            Array.Sort(scores, index, start, end - start);
                            RestoreTieOrder(scores, index, start, end);
                        }
                    }
                    start = end;
                }
            }
            var sorted = s.SortedBoxes;
            for (int i = 0; i < n; i++) sorted[i] = boxes[index[i]];
            s.SortedBoxes = boxes;
            s.Boxes = sorted;
        }

        /// <summary>
        /// Fills the sort index with box positions by category, input order within each: a counting sort when the
        /// categories span few values (COCO's 80 do), else one sort of packed (category, position) keys. Both give
        /// the one order there is, since no two keys are equal.
        /// </summary>
        private static void OrderByCategory(FusionScratch s, int n)
        {
            var boxes = s.Boxes;
            var index = s.SortIndex;
            int min = int.MaxValue, max = int.MinValue;
            for (int i = 0; i < n; i++)
            {
                int c = boxes[i].Category;
                if (c < min) min = c;
                if (c > max) max = c;
            }
            long span = (long)max - min + 1;
            if (span <= Math.Max(CountingSpan, n))
            {
                if (s.CategoryStart.Length < span + 1) s.CategoryStart = new int[Math.Max(span + 1, s.CategoryStart.Length * 2)];
                var start = s.CategoryStart;
                Array.Clear(start, 0, (int)span + 1);
                for (int i = 0; i < n; i++) start[boxes[i].Category - min + 1]++;
                for (int c = 1; c <= span; c++) start[c] += start[c - 1];
                for (int i = 0; i < n; i++) index[start[boxes[i].Category - min]++] = i;
                return;
            }
            var keys = s.SortKeys;
            for (int i = 0; i < n; i++) keys[i] = ((long)((uint)(boxes[i].Category - min)) << 32) | (uint)i;
            Array.Sort(keys, 0, n);
            for (int i = 0; i < n; i++) index[i] = (int)(keys[i] & 0xFFFFFFFF);
        }

        /// <summary>Stable: a key moves only past strictly greater ones, so equal scores stay in input order.</summary>
        private static void InsertionSort(double[] keys, int[] index, int start, int end)
        {
            for (int i = start + 1; i < end; i++)
            {
                double key = keys[i];
                int value = index[i];
                int j = i - 1;
                while (j >= start && keys[j] > key)
                {
                    keys[j + 1] = keys[j];
                    index[j + 1] = index[j];
                    j--;
                }
                keys[j + 1] = key;
                index[j + 1] = value;
            }
        }

        /// <summary>Array.Sort is not stable: put runs of equal scores back in input order (their indices ascending).</summary>
        private static void RestoreTieOrder(double[] scores, int[] index, int start, int end)
        {
            for (int i = start; i < end;)
            {
                int j = i + 1;
                while (j < end && scores[j] == scores[i]) j++;
                if (j - i > 1) Array.Sort(index, i, j - i);
                i = j;
            }
        }
    }
}
