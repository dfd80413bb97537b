using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BoxFusion.Coco
{
    /// <summary>
    /// The one rule that turns a text image id (a results file's "7.jpg", a YOLO file's "000123") into a ground-truth image;
    /// fusion clipping, evaluation, export and YOLO import all go through it (via <see cref="CocoGroundTruth.TryFindImage"/>).
    /// <list type="number">
    /// <item>Exactly an image's <c>file_name</c> or an image's text id (an image without a file name is named by its id).</item>
    /// <item>Else the file name without its folder, or without folder and extension, ignoring case ("7", "7.JPG", "val/7.jpg" are all 7.jpg).</item>
    /// </list>
    /// Text is never read as a number ("0001" is not image 1). A name that fits several images at the first step
    /// that matches anything is ambiguous, an error that lists them, never a guess.
    /// </summary>
    internal sealed class ImageNameIndex
    {
        private readonly Dictionary<string, List<CocoImage>> exact = new Dictionary<string, List<CocoImage>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CocoImage>> loose = new Dictionary<string, List<CocoImage>>(StringComparer.OrdinalIgnoreCase);

        public ImageNameIndex(IReadOnlyList<CocoImage> images)
        {
            foreach (var image in images)
            {
                string name = NameOf(image);
                if (image.Id is string id) Add(exact, id, image);
                Add(exact, name, image);
                string baseName = name.Substring(name.LastIndexOfAny(Separators) + 1);
                Add(loose, baseName, image);
                int dot = baseName.LastIndexOf('.');
                if (dot > 0) Add(loose, baseName.Substring(0, dot), image);
            }
        }

        private static readonly char[] Separators = { '/', '\\' };

        /// <summary>The file name, or for an image without one its id as text.</summary>
        public static string NameOf(CocoImage image) => image.FileName ?? Convert.ToString(image.Id, CultureInfo.InvariantCulture);

        /// <summary>The images the text names: none, one, or (ambiguous) several, in file order.</summary>
        public IReadOnlyList<CocoImage> Find(string text)
        {
            if (exact.TryGetValue(text, out var images) || loose.TryGetValue(text, out images)) return images;
            return Array.Empty<CocoImage>();
        }

        private static void Add(Dictionary<string, List<CocoImage>> map, string key, CocoImage image)
        {
            if (!map.TryGetValue(key, out var list)) map.Add(key, list = new List<CocoImage>(1));
            if (!list.Contains(image)) list.Add(image);
        }
    }

    /// <summary>A text image id that names several images of a ground truth (or image info); the caller must not guess.</summary>
    public sealed class AmbiguousImageIdException : Exception
    {
        private const int Listed = 10;

        public AmbiguousImageIdException(string imageId, IReadOnlyList<CocoImage> candidates, string path)
            : base(Format(imageId, candidates, path))
        {
            ImageId = imageId;
            Candidates = candidates;
            FilePath = path;
        }

        public string ImageId { get; }

        /// <summary>The images the id could mean, in file order.</summary>
        public IReadOnlyList<CocoImage> Candidates { get; }

        /// <summary>The ground truth or image info file; null when it was built in memory.</summary>
        public string FilePath { get; }

        private static string Format(string imageId, IReadOnlyList<CocoImage> candidates, string path)
        {
            string listed = string.Join(", ", candidates.Take(Listed).Select(c => "id " + c));
            if (candidates.Count > Listed) listed += string.Format(CultureInfo.InvariantCulture, " and {0} more", candidates.Count - Listed);
            return string.Format(CultureInfo.InvariantCulture,
                "Image id {0} matches {1} images{2}: {3}. Give each detection the full file_name or the image's id.",
                ImageIds.Describe(imageId), candidates.Count, path == null ? "" : " of '" + path + "'", listed);
        }
    }
}
