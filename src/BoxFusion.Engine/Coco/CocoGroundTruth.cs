using System;
using System.Collections.Generic;
using System.Globalization;

namespace BoxFusion.Coco
{
    /// <summary>
    /// A COCO ground truth: images, annotations (boxes) and categories. Load it from a file with
    /// <see cref="Load"/> (streamed, never read whole into a string) or build it in memory.
    /// </summary>
    public sealed class CocoGroundTruth
    {
        private readonly CocoImage[] images;
        private readonly CocoAnnotation[] annotations;
        private readonly CocoCategory[] categories;
        private readonly Dictionary<long, CocoImage> byNumericId = new Dictionary<long, CocoImage>();
        private readonly Dictionary<string, CocoImage> byStringId = new Dictionary<string, CocoImage>(StringComparer.Ordinal);
        private readonly Dictionary<string, CocoImage> byFileName = new Dictionary<string, CocoImage>(StringComparer.Ordinal);

        /// <summary>Builds a ground truth in memory. Image ids must be unique.</summary>
        public CocoGroundTruth(IEnumerable<CocoImage> images, IEnumerable<CocoAnnotation> annotations, IEnumerable<CocoCategory> categories, string path = null)
        {
            this.images = ToArray(images, nameof(images));
            this.annotations = ToArray(annotations, nameof(annotations));
            this.categories = ToArray(categories, nameof(categories));
            Path = path;
            for (int i = 0; i < this.images.Length; i++)
            {
                var image = this.images[i];
                bool added;
                switch (image.Id)
                {
                    case long n: added = TryAdd(byNumericId, n, image); break;
                    case string s: added = TryAdd(byStringId, s, image); break;
                    default: throw new ArgumentException("Image " + i + " has no id.", nameof(images));
                }
                if (!added)
                    throw new ArgumentException("Duplicate image id " + ImageIds.Describe(image.Id) + " (image " + i + ").", nameof(images));
                if (image.FileName != null && !byFileName.ContainsKey(image.FileName))
                    byFileName.Add(image.FileName, image);
            }
        }

        /// <summary>The file this was loaded from; null when built in memory.</summary>
        public string Path { get; }

        public IReadOnlyList<CocoImage> Images => images;
        public IReadOnlyList<CocoAnnotation> Annotations => annotations;
        public IReadOnlyList<CocoCategory> Categories => categories;

        /// <summary>
        /// Reads a COCO ground-truth file: images, annotations and categories; other keys
        /// (info, licenses, segmentation, ...) are skipped. Streams the file; accepts a UTF-8 BOM.
        /// </summary>
        /// <exception cref="CocoFormatException">The file is not a valid COCO ground truth.</exception>
        public static CocoGroundTruth Load(string path) => CocoGroundTruthReader.Read(path, imagesOnly: false);

        /// <summary>Like <see cref="Load(string)"/>; with <paramref name="masks"/>, also reads each annotation's segmentation (for mask evaluation).</summary>
        public static CocoGroundTruth Load(string path, bool masks) => CocoGroundTruthReader.Read(path, imagesOnly: false, masks: masks);

        /// <summary>Whether the annotations' segmentations were read (<see cref="CocoAnnotation.Mask"/>).</summary>
        public bool HasMasks { get; internal set; }

        /// <summary>Like <see cref="Load(string)"/>, but skips the annotations (for image sizes only).</summary>
        public static CocoGroundTruth LoadImagesOnly(string path) => CocoGroundTruthReader.Read(path, imagesOnly: true);

        /// <summary>
        /// Finds the image a detection's image id refers to. A number matches <c>images[].id</c>;
        /// a string matches a <c>file_name</c> first, else an image whose id is that string, else,
        /// when it parses as an integer, the numeric id.
        /// </summary>
        public bool TryFindImage(object imageId, out CocoImage image)
        {
            switch (imageId)
            {
                case null:
                    image = null;
                    return false;
                case long n:
                    return byNumericId.TryGetValue(n, out image);
                case string s:
                    if (byFileName.TryGetValue(s, out image) || byStringId.TryGetValue(s, out image))
                        return true;
                    if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                        return byNumericId.TryGetValue(parsed, out image);
                    image = null;
                    return false;
                default:
                    object normalized;
                    try { normalized = ImageIds.Normalize(imageId); }
                    catch (ArgumentException) { image = null; return false; }
                    return TryFindImage(normalized, out image);
            }
        }

        /// <summary>Exact id lookup (no file-name matching): how GT annotations refer to their images.</summary>
        internal bool TryGetImageById(object imageId, out CocoImage image)
        {
            switch (imageId)
            {
                case long n: return byNumericId.TryGetValue(n, out image);
                case string s: return byStringId.TryGetValue(s, out image);
                default: image = null; return false;
            }
        }

        private static T[] ToArray<T>(IEnumerable<T> items, string name) where T : class
        {
            if (items == null) return Array.Empty<T>();
            var list = new List<T>(items);
            for (int i = 0; i < list.Count; i++)
                if (list[i] == null) throw new ArgumentException(name + "[" + i + "] is null.", name);
            return list.ToArray();
        }

        private static bool TryAdd<TKey>(Dictionary<TKey, CocoImage> map, TKey key, CocoImage image)
        {
            if (map.ContainsKey(key)) return false;
            map.Add(key, image);
            return true;
        }
    }
}
