using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BoxFusion.Coco;
using BoxFusion.Json;

namespace BoxFusion.Yolo
{
    /// <summary>
    /// Reads YOLO txt predictions (one file per image, lines "class cx cy w h conf", normalised to [0, 1],
    /// as Ultralytics writes with save_txt and save_conf). The image comes from the file name (000123.txt
    /// is the image whose file_name is 000123.*); sizes and category ids come from a COCO ground truth.
    /// </summary>
    public sealed class YoloPredictionReader
    {
        private static readonly char[] Separators = { ' ', '\t' };
        private readonly CocoGroundTruth imageInfo;
        private readonly IReadOnlyList<CocoCategory> categories;

        /// <param name="imageInfo">Image sizes and, when it has categories, the category id of each class index (in file order).</param>
        public YoloPredictionReader(CocoGroundTruth imageInfo)
        {
            this.imageInfo = imageInfo ?? throw new ArgumentNullException(nameof(imageInfo));
            categories = imageInfo.Categories;
        }

        /// <summary>The image a prediction file belongs to, by its name (the ground truth's one matching rule); null when there is none.</summary>
        /// <exception cref="AmbiguousImageIdException">The name fits several images (IMG.jpg and img.png for img.txt).</exception>
        public CocoImage ImageFor(string path)
        {
            return imageInfo.TryFindImage(Path.GetFileNameWithoutExtension(path), out var image) ? image : null;
        }

        /// <summary>Reads one file's predictions for <paramref name="image"/>; bad lines are skipped and counted.</summary>
        public IEnumerable<Detection> Read(string path, CocoImage image, string model, SkippedRecords skipped)
        {
            using (var reader = new StreamReader(path))
            {
                string line;
                long lineNumber = 0;
                var parts = new double[6];
                while ((line = reader.ReadLine()) != null)
                {
                    lineNumber++;
                    if (line.Trim().Length == 0) continue;
                    var tokens = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
                    if (tokens.Length != 6)
                    {
                        skipped.Add(RecordProblem.BadBox, lineNumber, tokens.Length == 5
                            ? "line has no confidence (5 values); predict with save_conf to get 'class cx cy w h conf'"
                            : "line has " + tokens.Length + " values; expected 'class cx cy w h conf'");
                        continue;
                    }
                    string bad = null;
                    for (int i = 0; i < 6 && bad == null; i++)
                    {
                        if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out parts[i]) || !Numbers.IsFinite(parts[i]))
                            bad = "value '" + tokens[i] + "' is not a finite number";
                    }
                    if (bad == null && (parts[0] < 0 || parts[0] != Math.Floor(parts[0]))) bad = "class '" + tokens[0] + "' is not a class index";
                    if (bad == null && (parts[3] < 0 || parts[4] < 0)) bad = "negative box size";
                    if (bad == null && (parts[5] < 0 || parts[5] > 1)) bad = "confidence " + tokens[5] + " is outside [0, 1]";
                    int classIndex = (int)Math.Min(parts[0], int.MaxValue);
                    if (bad == null && categories.Count > 0 && classIndex >= categories.Count)
                        bad = "class " + classIndex + " has no category (the image info has " + categories.Count + ")";
                    if (bad != null)
                    {
                        skipped.Add(RecordProblem.BadBox, lineNumber, bad);
                        continue;
                    }
                    double w = parts[3] * image.Width, h = parts[4] * image.Height;
                    double x = parts[1] * image.Width - w / 2, y = parts[2] * image.Height - h / 2;
                    // In pixels, the box must pass the rules every detection does (a huge image size can push it past them).
                    if (DetectionRules.Problem(parts[5], x, y, w, h, out var kind) is string outside)
                    {
                        skipped.Add(kind, lineNumber, outside);
                        continue;
                    }
                    int category = categories.Count > 0 ? categories[classIndex].Id : classIndex;
                    yield return new Detection(image.Id, category, parts[5], x, y, w, h, model);
                }
            }
        }
    }
}
