using System;
using System.Globalization;

namespace BoxFusion.Evaluation
{
    /// <summary>
    /// One of pycocotools' accumulate() arrays, read by index (<c>$pr.Precision[t, r, k, a, m]</c>) and copied out whole
    /// with <see cref="ToArray"/>. Not a .NET array on purpose: Export-Clixml and ConvertTo-Json write every element of
    /// an array (about 15 MB of text per COCO-sized result); this object shows them its shape and axes instead.
    /// </summary>
    public sealed class CocoArray
    {
        private readonly double[,,,,] five;
        private readonly double[,,,] four;

        internal CocoArray(double[,,,,] values, string[] axes)
        {
            five = values;
            Axes = axes;
            Shape = Dimensions(values);
        }

        internal CocoArray(double[,,,] values, string[] axes)
        {
            four = values;
            Axes = axes;
            Shape = Dimensions(values);
        }

        /// <summary>The length of each axis, such as 10, 101, 80, 4, 3.</summary>
        public int[] Shape { get; }

        /// <summary>The axes' letters in pycocotools' order: T (IoU), R (recall), K (category), A (area), M (max detections).</summary>
        public string[] Axes { get; }

        /// <summary>The number of axes: 5 for precision and scores, 4 for recall.</summary>
        public int Rank => Shape.Length;

        /// <summary>The number of elements.</summary>
        public int Length => (five ?? (Array)four).Length;

        public int GetLength(int dimension) => Shape[dimension];

        /// <summary>An element of a five-axis array (precision, scores): [T, R, K, A, M].</summary>
        public double this[int t, int r, int k, int a, int m] => five != null ? five[t, r, k, a, m] : throw WrongRank(5);

        /// <summary>An element of a four-axis array (recall): [T, K, A, M].</summary>
        public double this[int t, int k, int a, int m] => four != null ? four[t, k, a, m] : throw WrongRank(4);

        /// <summary>A copy of the whole array: double[,,,,] or double[,,,], as pycocotools' numpy array.</summary>
        public Array ToArray() => (Array)(five ?? (Array)four).Clone();

        public override string ToString() => "double[" + string.Join(" x ", Shape) + "] (" + string.Join(" x ", Axes) + ")";

        private InvalidOperationException WrongRank(int given) => new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
            "{0} indexes given, but this array has {1} axes ({2}).", given, Rank, string.Join(", ", Axes)));

        private static int[] Dimensions(Array values)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            var shape = new int[values.Rank];
            for (int d = 0; d < shape.Length; d++) shape[d] = values.GetLength(d);
            return shape;
        }
    }
}
