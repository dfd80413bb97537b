using System;
using System.Globalization;

namespace BoxFusion
{
    /// <summary>
    /// One detection: a box in pixels (COCO x, y, width, height), its category and score,
    /// the image it belongs to and the model it came from. Fused detections also say how
    /// many boxes were merged into them and which models contributed.
    /// </summary>
    public sealed partial class Detection
    {
        private object imageId;
        // The model and source models, shared with other detections: a DetectionOrigin, or a MaskedOrigin of this
        // detection's own when it has a mask. Both are immutable, so a setter replaces the tail and never changes it.
        private object tail;

        public Detection() { tail = DetectionOrigin.None; }

        public Detection(object imageId, int categoryId, double score, double x, double y, double width, double height, string model)
            : this(DetectionOrigin.For(model, ValueList<string>.Empty), ImageIds.Normalize(imageId), categoryId, score, x, y, width, height)
        {
        }

        /// <summary>For readers and fusion: an id already normalised and shared, and an origin shared by many detections.</summary>
        internal Detection(DetectionOrigin origin, object imageId, int categoryId, double score, double x, double y, double width, double height)
        {
            tail = origin;
            this.imageId = imageId;
            CategoryId = categoryId;
            Score = score;
            X = x;
            Y = y;
            Width = width;
            Height = height;
        }

        /// <summary>The COCO image id: a number (held as <see cref="long"/>) or a string such as "7.jpg".</summary>
        public object ImageId
        {
            get => imageId;
            set => imageId = ImageIds.Normalize(value);
        }

        public int CategoryId { get; set; }
        public double Score { get; set; }
        public double X { get; set; }
        public double Y { get; set; }
        public double Width { get; set; }
        public double Height { get; set; }
        public double Right => X + Width;
        public double Bottom => Y + Height;

        /// <summary>The model (detector) this came from, or the fusion method for fused detections.</summary>
        public string Model
        {
            get => Origin.Model;
            set => Origin = Origin.WithModel(value);
        }

        /// <summary>How many input boxes were fused into this one; 0 for a detection that was not fused.</summary>
        public int MergedCount { get; set; }

        /// <summary>
        /// The distinct models whose boxes were fused into this one, in model order; empty when not fused.
        /// Read-only, so fused detections can share one list per set of models.
        /// </summary>
        public ValueList<string> SourceModels
        {
            get => Origin.SourceModels;
            set => Origin = Origin.WithSourceModels(value ?? ValueList<string>.Empty);
        }

        /// <summary>The shared part of the tail; setting it keeps the mask.</summary>
        internal DetectionOrigin Origin
        {
            get => tail as DetectionOrigin ?? ((MaskedOrigin)tail).Origin;
            set
            {
                if (!(tail is MaskedOrigin masked)) tail = value;
                else if (!ReferenceEquals(masked.Origin, value)) tail = MaskedOrigin.Of(value, masked.Mask, masked is BoxFromMaskOrigin);
            }
        }

        /// <summary>An independent copy: the tail it shares is never changed, only replaced.</summary>
        public Detection Clone() => (Detection)MemberwiseClone();

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0} cat {1} {2:0.000} [{3:0.#}, {4:0.#}, {5:0.#}, {6:0.#}] {7}",
            ImageId, CategoryId, Score, X, Y, Width, Height, Model);
    }

    /// <summary>Keeps image ids in one of two shapes: long for numbers, string for names.</summary>
    public static class ImageIds
    {
        public static object Normalize(object value)
        {
            switch (value)
            {
                case null: return null;
                case long _: return value;
                case string _: return value;
                case int i: return (long)i;
                case short s: return (long)s;
                case byte b: return (long)b;
                case sbyte sb: return (long)sb;
                case ushort us: return (long)us;
                case uint ui: return (long)ui;
                case ulong ul when ul <= long.MaxValue: return (long)ul;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15: return (long)d;
                case float f when f == Math.Floor(f) && Math.Abs(f) < 16777216f: return (long)f;
                case decimal m when m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue: return (long)m;
                default:
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                        "An image id must be an integer or a string; got {0} '{1}'.", value.GetType().Name, value));
            }
        }

        /// <summary>Text for messages: numbers as they are, strings in quotes.</summary>
        public static string Describe(object imageId) =>
            imageId is string s ? "\"" + s + "\"" : Convert.ToString(imageId, CultureInfo.InvariantCulture);
    }
}
