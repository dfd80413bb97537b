using System;
using System.Runtime.CompilerServices;
using BoxFusion.Json;

namespace BoxFusion.Evaluation
{
    /// <summary>
    /// Detections to score with boxes, held as columns of values (image id, category, score, box, loadRes' area) and
    /// filled from results-file blocks of values: a file of millions of records is scored with no object per record,
    /// and the evaluator takes the columns as they are. Scores as the same detections given as objects would.
    /// </summary>
    public sealed class DetectionColumns
    {
        private const int InitialCapacity = 1 << 12;
        /// <summary>
        /// Fewer bytes than a short record takes (<c>{"image_id":1,"category_id":1,"bbox":[1.5,2.5,3.5,4.5],"score":0.5}</c>
        /// is 67; a fused full-precision one about 110): a file's length over this is room for all its records, bar odd files.
        /// </summary>
        private const int ShortRecordBytes = 85;
        private bool? areaFromMask;

        public DetectionColumns() => Allocate(InitialCapacity);

        /// <summary>Detections held.</summary>
        public int Count { get; private set; }

#pragma warning disable CA1819 // the evaluator reads the columns in place
        internal object[] ImageIds { get; private set; }
        internal int[] CategoryIds { get; private set; }
        internal double[] Scores { get; private set; }
        /// <summary>x, y, width, height of each detection, one after another (the evaluator's layout).</summary>
        internal double[] Boxes { get; private set; }
        /// <summary>loadRes' area: the box's, or the mask's when the first detection had no bbox (see <see cref="Detection.BoxFromMask"/>).</summary>
        internal double[] Areas { get; private set; }
#pragma warning restore CA1819

        /// <summary>
        /// Appends a block's records (a block of values, <see cref="ParallelFileReading"/> with detections: false), in order.
        /// <paramref name="path"/> is the block's file: when the very first record has a mask, the file's first record is read
        /// again to learn whether it had a bbox, which decides how every area is taken (the block does not carry that).
        /// </summary>
        [MethodImpl(Tiering.Hot)]
        public void Add(RecordBlock block, string path)
        {
            if (block == null) throw new ArgumentNullException(nameof(block));
            if (block.Detections != null)
            {
                for (int i = 0; i < block.Count; i++) Add(block.Detections[i]);
                return;
            }
            int n = block.Count;
            if (n == 0) return;
            var masks = block.Masks;
            if (areaFromMask == null) areaFromMask = masks?[0] != null && FirstRecordBoxFromMask(path, masks[0]);
            Ensure(Count + n);
            Array.Copy(block.ImageIds, 0, ImageIds, Count, n);
            Array.Copy(block.CategoryIds, 0, CategoryIds, Count, n);
            Array.Copy(block.Scores, 0, Scores, Count, n);
            var x = block.X;
            var y = block.Y;
            var widths = block.Widths;
            var heights = block.Heights;
            bool fromMask = areaFromMask == true && masks != null;
            for (int i = 0, j = Count; i < n; i++, j++)
            {
                Boxes[4 * j] = x[i];
                Boxes[4 * j + 1] = y[i];
                Boxes[4 * j + 2] = widths[i];
                Boxes[4 * j + 3] = heights[i];
                Areas[j] = fromMask && masks[i] != null && !masks[i].IsPolygon ? masks[i].Area : widths[i] * heights[i];
            }
            Count += n;
        }

        /// <summary>
        /// Makes room at once for about the records a results file of <paramref name="fileLength"/> bytes holds, so that
        /// columns of millions of records are not grown (and copied) a dozen times on the way.
        /// </summary>
        public void ReserveForFile(long fileLength)
        {
            if (fileLength <= 0) return;
            long wanted = Math.Min(Count + fileLength / ShortRecordBytes, int.MaxValue / 8);
            if (wanted > ImageIds.Length) Resize((int)wanted);
        }

        /// <summary>Appends one detection (its image id must not be null).</summary>
        public void Add(Detection detection)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            if (areaFromMask == null) areaFromMask = detection.BoxFromMask;
            Ensure(Count + 1);
            int j = Count++;
            ImageIds[j] = detection.ImageId;
            CategoryIds[j] = detection.CategoryId;
            Scores[j] = detection.Score;
            Boxes[4 * j] = detection.X;
            Boxes[4 * j + 1] = detection.Y;
            Boxes[4 * j + 2] = detection.Width;
            Boxes[4 * j + 3] = detection.Height;
            var mask = detection.Mask;
            Areas[j] = areaFromMask == true && mask != null && !mask.IsPolygon ? mask.Area : detection.Width * detection.Height;
        }

        /// <summary>Whether the file's first good record had no bbox; <paramref name="mask"/> is that record's mask as the block holds it.</summary>
        private static bool FirstRecordBoxFromMask(string path, Mask mask)
        {
            if (mask.IsPolygon || path == null) return false;   // a polygon never stands in for a missing bbox
            using (var reader = new CocoResultReader(path, ""))
                return reader.TryReadValues(out RecordValues first) && first.BoxFromMask;
        }

        private void Ensure(int needed)
        {
            if (needed <= ImageIds.Length) return;
            int capacity = ImageIds.Length;
            while (capacity < needed) capacity = capacity > int.MaxValue / 8 ? needed : capacity * 2;
            Resize(capacity);
        }

        private void Resize(int capacity)
        {
            var ids = ImageIds;
            var categories = CategoryIds;
            var scores = Scores;
            var boxes = Boxes;
            var areas = Areas;
            Allocate(capacity);
            Array.Copy(ids, ImageIds, Count);
            Array.Copy(categories, CategoryIds, Count);
            Array.Copy(scores, Scores, Count);
            Array.Copy(boxes, Boxes, 4L * Count);
            Array.Copy(areas, Areas, Count);
        }

        private void Allocate(int capacity)
        {
            ImageIds = new object[capacity];
            CategoryIds = new int[capacity];
            Scores = new double[capacity];
            Boxes = new double[checked(4 * capacity)];
            Areas = new double[capacity];
        }
    }
}
