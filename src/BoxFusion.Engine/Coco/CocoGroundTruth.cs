using System;
using System.Globalization;
using System.Collections.Generic;

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
        // Built on the first lookup by name: evaluating numeric ids never needs it.
        private readonly Lazy<ImageNameIndex> names;

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
            }
            names = new Lazy<ImageNameIndex>(() => new ImageNameIndex(this.images));
            storedAnnotation = StoredAnnotations(this.annotations, out int replaced);
            DuplicateAnnotationIdCount = replaced;
        }

        /// <summary>
        /// Per annotation, the index of the annotation pycocotools evaluates in its place: the last one with the same id
        /// (coco.py keeps anns[id] = ann, so a later annotation overwrites an earlier one, while imgToAnns still lists
        /// both). Null when every id is unique, the usual case.
        /// </summary>
        private readonly int[] storedAnnotation;

        /// <summary>Annotations that pycocotools replaces by a later annotation with the same id (0 when ids are unique).</summary>
        public int DuplicateAnnotationIdCount { get; }

        /// <summary>A warning for the user when annotation ids repeat (null when they do not): evaluation follows pycocotools there.</summary>
        public string DuplicateAnnotationIdWarning() => DuplicateAnnotationIdCount == 0 ? null : string.Format(CultureInfo.InvariantCulture,
            "{0}{1} annotation{2} share{3} an id with a later annotation; as in pycocotools, each is evaluated as the last annotation of its id (the earlier ones do not count). Give every annotation its own id.",
            Path == null ? "" : "'" + Path + "': ", DuplicateAnnotationIdCount, DuplicateAnnotationIdCount == 1 ? "" : "s", DuplicateAnnotationIdCount == 1 ? "s" : "");

        /// <summary>The index of the annotation evaluated in the place of annotation <paramref name="index"/>.</summary>
        internal int StoredAnnotationIndex(int index) => storedAnnotation == null ? index : storedAnnotation[index];

        private static int[] StoredAnnotations(CocoAnnotation[] annotations, out int replaced)
        {
            replaced = 0;
            var last = new Dictionary<long, int>(annotations.Length);
            for (int i = 0; i < annotations.Length; i++)
            {
                if (annotations[i].IdAssigned) continue;
                if (last.ContainsKey(annotations[i].Id)) replaced++;
                last[annotations[i].Id] = i;
            }
            if (replaced == 0) return null;
            var stored = new int[annotations.Length];
            for (int i = 0; i < annotations.Length; i++)
                stored[i] = annotations[i].IdAssigned ? i : last[annotations[i].Id];
            return stored;
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

        /// <summary>Like <see cref="Load(string)"/>, stopping with OperationCanceledException soon after <paramref name="cancel"/> is cancelled.</summary>
        public static CocoGroundTruth Load(string path, System.Threading.CancellationToken cancel) => CocoGroundTruthReader.Read(path, imagesOnly: false, cancel: cancel);

        /// <summary>Like <see cref="Load(string)"/>; with <paramref name="masks"/>, also reads each annotation's segmentation (for mask evaluation).</summary>
        public static CocoGroundTruth Load(string path, bool masks) => CocoGroundTruthReader.Read(path, imagesOnly: false, masks: masks);

        /// <summary>Like <see cref="Load(string, bool)"/>, stopping with OperationCanceledException soon after <paramref name="cancel"/> is cancelled.</summary>
        public static CocoGroundTruth Load(string path, bool masks, System.Threading.CancellationToken cancel) => CocoGroundTruthReader.Read(path, imagesOnly: false, masks: masks, cancel: cancel);

        /// <summary>Whether the annotations' segmentations were read (<see cref="CocoAnnotation.Mask"/>).</summary>
        public bool HasMasks { get; internal set; }

        /// <summary>Like <see cref="Load(string)"/>, but skips the annotations (for image sizes only).</summary>
        public static CocoGroundTruth LoadImagesOnly(string path) => CocoGroundTruthReader.Read(path, imagesOnly: true);

        /// <summary>Like <see cref="LoadImagesOnly(string)"/>, stopping soon after <paramref name="cancel"/> is cancelled.</summary>
        public static CocoGroundTruth LoadImagesOnly(string path, System.Threading.CancellationToken cancel) => CocoGroundTruthReader.Read(path, imagesOnly: true, cancel: cancel);

        /// <summary>
        /// Finds the image a detection's image id refers to. A number matches <c>images[].id</c>; text matches by
        /// <see cref="ImageNameIndex"/>'s rule: exactly a <c>file_name</c> or a text id, else the file name without
        /// folder or extension when that names one image. Text is never read as a number.
        /// </summary>
        /// <exception cref="AmbiguousImageIdException">The text names several images.</exception>
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
                    var found = names.Value.Find(s);
                    if (found.Count > 1) throw new AmbiguousImageIdException(s, found, Path);
                    image = found.Count == 1 ? found[0] : null;
                    return image != null;
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
