using System;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Orders an image's prepared boxes: by category (contiguous runs), then by weighted score, highest first,
    /// ties in input order; or by category then input order (Soft-NMS). Sorts primitive keys, not the structs.
    /// </summary>
    internal static class BoxSorter
    {
        public static void Sort(FusionScratch s, bool byCategory, bool byScore)
        {
            int n = s.BoxCount;
            if (n < 2) return;
            var boxes = s.Boxes;
            var keys = s.SortKeys;
            var index = s.SortIndex;
            // 1. Category, then input order: one sort of packed 64-bit keys (boxes are prepared in input order).
            if (byCategory)
            {
                int min = int.MaxValue;
                for (int i = 0; i < n; i++) if (boxes[i].Category < min) min = boxes[i].Category;
                for (int i = 0; i < n; i++) keys[i] = ((long)((uint)(boxes[i].Category - min)) << 32) | (uint)i;
                Array.Sort(keys, 0, n);
                for (int i = 0; i < n; i++) index[i] = (int)(keys[i] & 0xFFFFFFFF);
            }
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
                        Array.Sort(scores, index, start, end - start);
                        RestoreTieOrder(scores, index, start, end);
                    }
                    start = end;
                }
            }
            var sorted = s.SortedBoxes;
            for (int i = 0; i < n; i++) sorted[i] = boxes[index[i]];
            s.SortedBoxes = boxes;
            s.Boxes = sorted;
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
