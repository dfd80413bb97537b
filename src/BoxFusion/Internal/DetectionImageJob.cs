using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Graphics;

namespace BoxFusion.Commands
{
    /// <summary>What Export-DetectionImage gathered for one image: its record (when known), detections and comparison rows.</summary>
    internal sealed class ImageInput
    {
        public ImageInput(object id, CocoImage image)
        {
            Id = id;
            Image = image;
        }

        public object Id { get; }

        /// <summary>The image record: from -GroundTruth/-ImageInfo, else from the Compare-Detection rows, else null.</summary>
        public CocoImage Image { get; set; }
        public List<Detection> Detections { get; } = new List<Detection>();
        public List<DetectionMatch> Matches { get; } = new List<DetectionMatch>();
    }

    /// <summary>Settings shared by every image of one Export-DetectionImage call.</summary>
    internal sealed class PictureSettings
    {
        public Dictionary<CocoImage, List<CocoAnnotation>> GroundTruthBoxes;   // per image, to draw in the ground-truth style; or null
        public Dictionary<int, string> CategoryNames = new Dictionary<int, string>();
        public Dictionary<string, uint> ModelColors = new Dictionary<string, uint>(ModelNames.Comparer);
        public List<string> ModelOrder = new List<string>();
        public int PaletteUsed;                      // palette colours handed out so far
        public uint GroundTruthColor;
        public double MinScore;
        public bool Masks = true;                    // fill instance masks (not with -NoMask)
        public DrawingStyle Style;
    }

    /// <summary>One picture to draw: where the image is (or the blank canvas size), the boxes, and the file to write.</summary>
    internal sealed class DetectionImageJob
    {
        public object ImageId;
        public string SourcePath;   // null: blank canvas
        public int Width, Height;
        public string Target;
        public bool Replace;        // -Force
        public int? Permissions;    // those of the file replaced
        public List<DrawnBox> Boxes;
        public List<LegendEntry> Legend;
        public DrawingStyle Style;

        /// <summary>Runs on a worker thread: reads, draws, writes atomically. Returns the file, or the error for this image.</summary>
        public object Run()
        {
            byte[] source = null;
            if (SourcePath != null)
            {
                try
                {
                    source = File.ReadAllBytes(SourcePath);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    return Fail("ImageUnreadable", ErrorCategory.ReadError, SourcePath, "cannot read the image file '" + SourcePath + "': " + e.Message, e);
                }
            }
            try
            {
                // drawn straight into the temporary file; a picture that fails leaves nothing behind
                using (var file = new AtomicFile(Target, Replace, Permissions, durable: false))
                {
                    try
                    {
                        DetectionPainter.Draw(source, Width, Height, Boxes, Legend, Style, file.Stream);
                    }
                    catch (ImageDecodeException e)
                    {
                        return Fail("ImageInvalid", ErrorCategory.InvalidData, SourcePath, "the image file '" + SourcePath + "' cannot be drawn on: " + e.Message, e);
                    }
                    catch (ArgumentOutOfRangeException e)
                    {
                        return Fail("ImageSizeInvalid", ErrorCategory.InvalidData, SourcePath ?? (object)ImageId, e.Message.Split('\n')[0].Trim(), e);
                    }
                    file.Commit();
                }
            }
            catch (TargetExistsException e)
            {
                return Fail("FileExists", ErrorCategory.ResourceExists, Target, e.Message.TrimEnd('.'), e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Fail("FileWriteFailed", ErrorCategory.WriteError, Target, "cannot write '" + Target + "': " + e.Message, e);
            }
            return new FileInfo(Target);
        }

        private ErrorRecord Fail(string id, ErrorCategory category, object target, string what, Exception inner) =>
            Errors.Create(id, category, target, "Image " + ImageIds.Describe(ImageId) + ": " + what + ". The other images are drawn.", inner);

        /// <summary>The ground truth's boxes by image, in file order.</summary>
        public static Dictionary<CocoImage, List<CocoAnnotation>> IndexBoxes(CocoGroundTruth gt)
        {
            var index = new Dictionary<CocoImage, List<CocoAnnotation>>();
            foreach (var ann in gt.Annotations)
            {
                if (!gt.TryFindImage(ann.ImageId, out var owner)) continue;
                if (!index.TryGetValue(owner, out var list)) index.Add(owner, list = new List<CocoAnnotation>());
                list.Add(ann);
            }
            return index;
        }

        /// <summary>The boxes and legend of one image: ground truth, then detections by model colour, then comparison rows by outcome.</summary>
        public static void Compose(ImageInput input, PictureSettings settings, out List<DrawnBox> boxes, out List<LegendEntry> legend)
        {
            boxes = new List<DrawnBox>();
            legend = new List<LegendEntry>();
            var modelsHere = new HashSet<string>(ModelNames.Comparer);
            var outcomesHere = new HashSet<MatchOutcome>();
            if (settings.GroundTruthBoxes != null && input.Image != null && settings.GroundTruthBoxes.TryGetValue(input.Image, out var annotations))
            {
                bool any = false;
                foreach (var ann in annotations)
                {
                    any = true;
                    boxes.Add(new DrawnBox
                    {
                        X = ann.X, Y = ann.Y, Width = ann.Width, Height = ann.Height, Color = settings.GroundTruthColor,
                        Line = ann.IsCrowd ? LineStyle.Dotted : LineStyle.Dashed, Label = ann.IsCrowd ? "crowd" : null, Order = double.NegativeInfinity,
                    });
                }
                if (any) legend.Add(new LegendEntry("ground truth", settings.GroundTruthColor, LineStyle.Dashed));
            }
            foreach (var d in input.Detections)
            {
                if (d.Score < settings.MinScore) continue;
                uint color = settings.ModelColors[d.Model ?? ""];
                modelsHere.Add(d.Model ?? "");
                boxes.Add(WithMask(settings, d, new DrawnBox
                {
                    X = d.X, Y = d.Y, Width = d.Width, Height = d.Height, Color = color, Line = LineStyle.Solid,
                    Label = CategoryText(settings, d.CategoryId) + " " + d.Score.ToString("0.00", CultureInfo.InvariantCulture), Order = d.Score,
                }));
            }
            foreach (var m in input.Matches)
            {
                if (m.Detection != null && m.Detection.Score < settings.MinScore) continue;
                outcomesHere.Add(m.Outcome);
                boxes.Add(MatchBox(settings, m));
            }
            foreach (string model in settings.ModelOrder)
                if (modelsHere.Contains(model)) legend.Add(new LegendEntry(model.Length == 0 ? "(no model)" : model, settings.ModelColors[model], LineStyle.Solid));
            foreach (MatchOutcome outcome in Enum.GetValues(typeof(MatchOutcome)))
                if (outcomesHere.Contains(outcome)) legend.Add(new LegendEntry(OutcomeText(outcome), OutcomeColor(outcome), OutcomeLine(outcome)));
        }

        private static DrawnBox MatchBox(PictureSettings settings, DetectionMatch m)
        {
            string category = string.IsNullOrEmpty(m.Category) ? CategoryText(settings, m.CategoryId) : m.Category;
            if (m.Detection == null)
            {
                var g = m.GroundTruth;
                return new DrawnBox
                {
                    X = g.X, Y = g.Y, Width = g.Width, Height = g.Height, Color = Graphics.Colors.Missed, Line = LineStyle.Dashed,
                    Label = category + " missed", Order = double.MaxValue,
                };
            }
            var d = m.Detection;
            string label = category + " " + d.Score.ToString("0.00", CultureInfo.InvariantCulture);
            if (m.Reason != MatchReason.None) label += " " + ReasonText(m.Reason);
            return WithMask(settings, d, new DrawnBox
            {
                X = d.X, Y = d.Y, Width = d.Width, Height = d.Height, Color = OutcomeColor(m.Outcome), Line = OutcomeLine(m.Outcome),
                Label = label, Order = d.Score,
            });
        }

        /// <summary>The detection's instance mask, when it has one, to fill translucently in the box's colour.</summary>
        private static DrawnBox WithMask(PictureSettings settings, Detection d, DrawnBox box)
        {
            if (!settings.Masks || !d.HasMask) return box;
            var mask = d.Mask;
            box.MaskCounts = mask.GetCounts();
            box.MaskHeight = mask.Height;
            box.MaskWidth = mask.Width;
            return box;
        }

        private static string CategoryText(PictureSettings settings, int categoryId) =>
            settings.CategoryNames.TryGetValue(categoryId, out var name) && !string.IsNullOrEmpty(name) ? name : "cat " + categoryId.ToString(CultureInfo.InvariantCulture);

        private static string ReasonText(MatchReason reason)
        {
            switch (reason)
            {
                case MatchReason.Duplicate: return "duplicate";
                case MatchReason.WrongClass: return "wrong class";
                case MatchReason.Localization: return "poorly placed";
                case MatchReason.Background: return "background";
                case MatchReason.Crowd: return "crowd";
                default: return reason.ToString();
            }
        }

        private static string OutcomeText(MatchOutcome outcome)
        {
            switch (outcome)
            {
                case MatchOutcome.TruePositive: return "true positive";
                case MatchOutcome.FalsePositive: return "false positive";
                case MatchOutcome.Missed: return "missed";
                default: return "ignored";
            }
        }

        private static uint OutcomeColor(MatchOutcome outcome)
        {
            switch (outcome)
            {
                case MatchOutcome.TruePositive: return Graphics.Colors.TruePositive;
                case MatchOutcome.FalsePositive: return Graphics.Colors.FalsePositive;
                case MatchOutcome.Missed: return Graphics.Colors.Missed;
                default: return Graphics.Colors.Ignored;
            }
        }

        private static LineStyle OutcomeLine(MatchOutcome outcome) =>
            outcome == MatchOutcome.Missed ? LineStyle.Dashed : outcome == MatchOutcome.Ignored ? LineStyle.Dotted : LineStyle.Solid;
    }
}
