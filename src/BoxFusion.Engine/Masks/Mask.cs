using System;
using System.Collections.Generic;
using System.Globalization;

namespace BoxFusion
{
    /// <summary>
    /// An instance mask held as run lengths, the way COCO stores it: pixels in column-major order
    /// (down each column, then the next column), alternating runs of background and foreground,
    /// starting with background (a first run of 0 when the top-left pixel is foreground).
    /// Never a bitmap: a mask costs its run lengths and a few fields.
    /// A mask read from a results file as polygons has no size until it is rasterised for an image
    /// (<see cref="IsPolygon"/>, <see cref="Rasterize"/>), because a results file does not give image sizes.
    /// Behaviour (rasterising, bounding box, IoU, string format) follows pycocotools' mask API, to its numbers.
    /// </summary>
    public sealed class Mask : IEquatable<Mask>
    {
        /// <summary>h·w must fit the unsigned 32-bit run lengths pycocotools uses.</summary>
        public const long MaxPixels = uint.MaxValue;

        // One slot for either form (run lengths uint[], or polygons double[][]), and the area as pycocotools'
        // unsigned 32 bits: a mask costs 40 bytes besides its runs.
        private readonly object data;
        private readonly uint area;

        /// <summary>Trusted: counts already checked to add up to height·width.</summary>
        internal Mask(int height, int width, uint[] counts, long area)
        {
            Height = height;
            Width = width;
            data = counts;
            this.area = (uint)area;
        }

        private Mask(double[][] polygons)
        {
            data = polygons;
        }

        private uint[] counts => data as uint[];

        private double[][] polygons => data as double[][];

        /// <summary>Image height in pixels (0 for an unrasterised polygon mask).</summary>
        public int Height { get; }

        /// <summary>Image width in pixels (0 for an unrasterised polygon mask).</summary>
        public int Width { get; }

        /// <summary>Foreground pixels (pycocotools' <c>area</c>); -1 for an unrasterised polygon mask.</summary>
        public long Area => data is uint[] ? area : -1L;

        /// <summary>True when this holds polygons from a results file, not yet rasterised for an image size.</summary>
        public bool IsPolygon => data is double[][];

        /// <summary>Number of runs (0 for a polygon mask).</summary>
        public int RunCount => counts?.Length ?? 0;

        internal uint[] Counts => counts;

        internal double[][] PolygonData => polygons;

        /// <summary>A copy of the run lengths (empty for a polygon mask).</summary>
        public uint[] GetCounts() => counts == null ? Array.Empty<uint>() : (uint[])counts.Clone();

        /// <summary>A copy of the polygons, each [x1, y1, x2, y2, ...] in pixels (empty for a run-length mask).</summary>
        public double[][] GetPolygons()
        {
            if (polygons == null) return Array.Empty<double[]>();
            var copy = new double[polygons.Length][];
            for (int i = 0; i < copy.Length; i++) copy[i] = (double[])polygons[i].Clone();
            return copy;
        }

        /// <summary>
        /// A mask from run lengths (COCO's uncompressed RLE). Throws <see cref="MaskFormatException"/> when the
        /// size is not positive, too large, or the counts do not add up to height·width.
        /// </summary>
        public static Mask FromCounts(int height, int width, IReadOnlyList<long> counts)
        {
            if (counts == null) throw new ArgumentNullException(nameof(counts));
            CheckSize(height, width);
            long pixels = (long)height * width, sum = 0, area = 0;
            var runs = new uint[counts.Count];
            for (int i = 0; i < runs.Length; i++)
            {
                long c = counts[i];
                if (c < 0 || c > pixels)
                    throw new MaskFormatException(MaskProblem.CountsMismatch, string.Format(CultureInfo.InvariantCulture,
                        "run length {0} (run {1}) is outside 0..{2} (height·width)", c, i, pixels));
                sum += c;
                if ((i & 1) == 1) area += c;
                runs[i] = (uint)c;
            }
            if (sum != pixels) throw CountsMismatch(height, width, sum);
            return new Mask(height, width, runs, area);
        }

        /// <summary>A mask from run lengths.</summary>
        public static Mask FromCounts(int height, int width, uint[] counts)
        {
            if (counts == null) throw new ArgumentNullException(nameof(counts));
            var wide = new long[counts.Length];
            for (int i = 0; i < wide.Length; i++) wide[i] = counts[i];
            return FromCounts(height, width, wide);
        }

        /// <summary>A mask from pycocotools' compressed string (the <c>counts</c> of a compressed RLE).</summary>
        public static Mask FromString(int height, int width, string compressed)
        {
            if (compressed == null) throw new ArgumentNullException(nameof(compressed));
            CheckSize(height, width);
            var bytes = new byte[compressed.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                char c = compressed[i];
                if (c > 127) throw RleString.BadCharacter(c, i);
                bytes[i] = (byte)c;
            }
            return RleString.Decode(height, width, bytes, new RleScratch());
        }

        /// <summary>
        /// The run lengths as pycocotools' compressed string, or null for a polygon mask. A property so that a mask
        /// survives serialization (Export-Clixml, remoting) as text; <see cref="ToCompressedString"/> is the same.
        /// </summary>
        public string CompressedCounts => data is uint[] runs ? RleString.Encode(runs) : null;

        /// <summary>pycocotools' compressed string of the run lengths (its <c>rleToString</c> format).</summary>
        public string ToCompressedString()
        {
            RequireRuns();
            return RleString.Encode(counts);
        }

        /// <summary>
        /// Polygons as a results file gives them, kept until an image size is known. Each polygon is
        /// [x1, y1, x2, y2, ...] with at least 3 points; throws <see cref="MaskFormatException"/> otherwise.
        /// </summary>
        public static Mask FromPolygons(IReadOnlyList<double[]> polygons)
        {
            var copy = CheckPolygons(polygons);
            return new Mask(copy);
        }

        /// <summary>For readers: polygons already checked and owned by the mask.</summary>
        internal static Mask OfCheckedPolygons(double[][] polygons) => new Mask(polygons);

        /// <summary>Rasterises polygons for an image of this size, as pycocotools' frPyObjects and merge do.</summary>
        public static Mask FromPolygons(IReadOnlyList<double[]> polygons, int height, int width)
        {
            var copy = CheckPolygons(polygons);
            CheckSize(height, width);
            return PolygonRaster.Union(copy, height, width);
        }

        /// <summary>A box [x, y, width, height] rasterised as pycocotools' frBbox does (a four-corner polygon).</summary>
        public static Mask FromBox(double x, double y, double boxWidth, double boxHeight, int height, int width)
        {
            CheckSize(height, width);
            var corners = new[] { x, y, x, y + boxHeight, x + boxWidth, y + boxHeight, x + boxWidth, y };
            foreach (double v in corners) PolygonRaster.CheckCoordinate(v);
            return PolygonRaster.Rasterize(corners, height, width);
        }

        /// <summary>Encodes a column-major bitmap (0 = background, anything else = foreground) of height·width bytes.</summary>
        public static Mask FromBitmap(byte[] columnMajor, int height, int width)
        {
            if (columnMajor == null) throw new ArgumentNullException(nameof(columnMajor));
            CheckSize(height, width);
            if (columnMajor.LongLength != (long)height * width)
                throw new ArgumentException("The bitmap must hold height·width bytes.", nameof(columnMajor));
            return MaskOps.Encode(columnMajor, height, width);
        }

        /// <summary>Decodes into a column-major bitmap of height·width bytes (1 = foreground). For tests and small masks.</summary>
        public byte[] ToBitmap()
        {
            RequireRuns();
            return MaskOps.Decode(this);
        }

        /// <summary>This mask for an image of the given size: polygons are rasterised; a run-length mask must already have that size.</summary>
        public Mask Rasterize(int height, int width)
        {
            if (polygons != null)
            {
                CheckSize(height, width);
                return PolygonRaster.Union(polygons, height, width);
            }
            if (height != Height || width != Width) throw SizeMismatch(height, width);
            return this;
        }

        /// <summary>
        /// The bounding box [x, y, width, height] of the foreground, as pycocotools' toBbox computes it
        /// (whole pixels; [0, 0, 0, 0] for an empty mask). For a polygon mask: the extent of its points.
        /// </summary>
        public double[] GetBoundingBox()
        {
            if (polygons != null) return PolygonRaster.Extent(polygons);
            MaskOps.BoundingBox(this, out uint x, out uint y, out uint w, out uint h);
            return new double[] { x, y, w, h };
        }

        /// <summary>
        /// Intersection over union as pycocotools' <c>iou</c> computes it for one pair. For a crowd
        /// ground truth the denominator is the detection's area. -1 when the sizes differ (and the boxes overlap).
        /// </summary>
        public static double Iou(Mask detection, Mask groundTruth, bool groundTruthIsCrowd = false)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            if (groundTruth == null) throw new ArgumentNullException(nameof(groundTruth));
            detection.RequireRuns();
            groundTruth.RequireRuns();
            return MaskOps.Iou(detection, groundTruth, groundTruthIsCrowd);
        }

        /// <summary>Union of masks of one size (pycocotools' merge); the empty list gives null.</summary>
        public static Mask Union(IReadOnlyList<Mask> masks) => Merge(masks, intersect: false);

        /// <summary>Intersection of masks of one size (pycocotools' merge with intersect).</summary>
        public static Mask Intersection(IReadOnlyList<Mask> masks) => Merge(masks, intersect: true);

        private static Mask Merge(IReadOnlyList<Mask> masks, bool intersect)
        {
            if (masks == null) throw new ArgumentNullException(nameof(masks));
            if (masks.Count == 0) return null;
            for (int i = 0; i < masks.Count; i++)
            {
                if (masks[i] == null) throw new ArgumentException("masks[" + i + "] is null.", nameof(masks));
                masks[i].RequireRuns();
                if (masks[i].Height != masks[0].Height || masks[i].Width != masks[0].Width) throw masks[i].SizeMismatch(masks[0].Height, masks[0].Width);
            }
            return MaskOps.Merge(masks, intersect);
        }

        internal static void CheckSize(int height, int width)
        {
            if (height <= 0 || width <= 0 || (long)height * width > MaxPixels)
            {
                throw new MaskFormatException(MaskProblem.BadSize, string.Format(CultureInfo.InvariantCulture,
                    "mask size [{0}, {1}] is not valid; height and width must be positive and height·width at most {2}", height, width, MaxPixels));
            }
        }

        internal static MaskFormatException CountsMismatch(int height, int width, long sum) =>
            new MaskFormatException(MaskProblem.CountsMismatch, string.Format(CultureInfo.InvariantCulture,
                "the run lengths add up to {0}, not {1} (height {2} · width {3})", sum, (long)height * width, height, width));

        internal MaskFormatException SizeMismatch(int height, int width) =>
            new MaskFormatException(MaskProblem.SizeMismatch, string.Format(CultureInfo.InvariantCulture,
                "the mask is {0}x{1} (height x width) but the image is {2}x{3}", Height, Width, height, width));

        private static double[][] CheckPolygons(IReadOnlyList<double[]> polygons)
        {
            if (polygons == null) throw new ArgumentNullException(nameof(polygons));
            if (polygons.Count == 0) throw new MaskFormatException(MaskProblem.PolygonTooFewPoints, "the segmentation holds no polygon");
            var copy = new double[polygons.Count][];
            for (int i = 0; i < copy.Length; i++)
            {
                var p = polygons[i] ?? throw new ArgumentException("polygons[" + i + "] is null.", nameof(polygons));
                PolygonRaster.CheckPolygon(p, i);
                copy[i] = (double[])p.Clone();
            }
            return copy;
        }

        private void RequireRuns()
        {
            if (polygons != null) throw new InvalidOperationException("This mask holds polygons without an image size; call Rasterize(height, width) first.");
        }

        public bool Equals(Mask other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other == null || Height != other.Height || Width != other.Width) return false;
            if (counts != null) return other.counts != null && counts.AsSpan().SequenceEqual(other.counts);
            if (other.polygons == null || polygons.Length != other.polygons.Length) return false;
            for (int i = 0; i < polygons.Length; i++)
                if (!polygons[i].AsSpan().SequenceEqual(other.polygons[i])) return false;
            return true;
        }

        public override bool Equals(object obj) => Equals(obj as Mask);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = Height * 31 + Width;
                if (counts != null) foreach (uint c in counts) hash = hash * 16777619 ^ (int)c;
                else hash = hash * 31 + polygons.Length;
                return hash;
            }
        }

        public override string ToString() => polygons != null
            ? string.Format(CultureInfo.InvariantCulture, "polygons ({0})", polygons.Length)
            : string.Format(CultureInfo.InvariantCulture, "{0}x{1} area {2}", Height, Width, Area);
    }

    /// <summary>Why a mask is not valid.</summary>
    public enum MaskProblem
    {
        /// <summary>The size is not two positive integers, or too large.</summary>
        BadSize,
        /// <summary>The run lengths do not add up to height·width.</summary>
        CountsMismatch,
        /// <summary>The compressed string is broken (a character outside its alphabet, or it ends mid-number).</summary>
        BadString,
        /// <summary>A polygon has an odd number of coordinates.</summary>
        PolygonOddCoordinates,
        /// <summary>A polygon has fewer than 3 points (or there is none).</summary>
        PolygonTooFewPoints,
        /// <summary>A polygon coordinate is not a finite number of a sensible size.</summary>
        PolygonBadCoordinate,
        /// <summary>The mask's size differs from its image's (or from the other masks of its image).</summary>
        SizeMismatch,
        /// <summary>There is no segmentation where one is needed.</summary>
        Missing,
    }

    /// <summary>A mask that is not valid; <see cref="Problem"/> says why.</summary>
    public sealed class MaskFormatException : FormatException
    {
        public MaskFormatException(MaskProblem problem, string message) : base(message) { Problem = problem; }

        public MaskProblem Problem { get; }
    }
}
