using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using BoxFusion.Coco;
using BoxFusion.Graphics;

namespace BoxFusion.Commands
{
    /// <summary>Export-DetectionImage's work that names graphics types: colours, styles, and the plan of pictures to draw.</summary>
    internal static class DetectionImageSettings
    {
        public static object Create(ExportDetectionImageCommand cmdlet, CocoGroundTruth info, bool drawGroundTruth)
        {
            var settings = new PictureSettings
            {
                GroundTruthColor = ParseColor(cmdlet, cmdlet.GroundTruthColor, "GroundTruthColor"),
                MinScore = cmdlet.MinScore,
                Masks = !cmdlet.NoMask,
                Style = new DrawingStyle
                {
                    LineWidth = cmdlet.LineWidth,
                    FontSize = cmdlet.FontSize,
                    Labels = !cmdlet.NoLabel,
                    Legend = !cmdlet.NoLegend,
                    Background = ParseColor(cmdlet, cmdlet.BackgroundColor, "BackgroundColor"),
                },
            };
            if (cmdlet.Color != null)
            {
                foreach (DictionaryEntry entry in cmdlet.Color)
                {
                    string model = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    settings.ModelColors[model] = ParseColor(cmdlet, Convert.ToString(entry.Value is PSObject p ? p.BaseObject : entry.Value, CultureInfo.InvariantCulture), "Color");
                }
            }
            if (info != null)
            {
                foreach (var c in info.Categories)
                    if (!settings.CategoryNames.ContainsKey(c.Id)) settings.CategoryNames.Add(c.Id, c.Name);
                if (drawGroundTruth) settings.GroundTruthBoxes = DetectionImageJob.IndexBoxes(info);
            }
            return settings;
        }

        private static uint ParseColor(PSCmdlet cmdlet, string text, string parameter)
        {
            if (Graphics.Colors.TryParse(text, out uint argb)) return argb;
            cmdlet.ThrowTerminatingError(Errors.InvalidArgument("ColorInvalid", parameter, text,
                "-" + parameter + ": '" + text + "' is not a colour. Give #RRGGBB, #AARRGGBB, #RGB or a name (" + string.Join(", ", Graphics.Colors.Names) + ")."));
            return 0;
        }

        /// <summary>A model's colour: the one asked for with -Color, else the next of the palette, in order of first appearance.</summary>
        public static void NoteModel(object state, string model)
        {
            var settings = (PictureSettings)state;
            if (settings.ModelOrder.Count > 0 && ReferenceEquals(settings.ModelOrder[settings.ModelOrder.Count - 1], model)) return;
            foreach (var known in settings.ModelOrder)
                if (ModelNames.Comparer.Equals(known, model)) return;
            settings.ModelOrder.Add(model);
            if (!settings.ModelColors.ContainsKey(model))
            {
                var palette = Graphics.Colors.Palette;
                settings.ModelColors[model] = palette[settings.PaletteUsed++ % palette.Count];
            }
        }

        /// <summary>
        /// One job per image that can be drawn: its file (or blank canvas), its target (not overwritten without -Force) and,
        /// with -WhatIf, nothing. Writes an error for each image that cannot be.
        /// </summary>
        public static List<DetectionImageJob> PlanJobs(PSCmdlet cmdlet, object state, List<ImageInput> inputs, string imageFolder, string folder,
            bool force, out List<object> blanks)
        {
            var settings = (PictureSettings)state;
            var jobs = new List<DetectionImageJob>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            blanks = new List<object>();
            foreach (var input in inputs)
            {
                string source = imageFolder == null ? null : FindImageFile(imageFolder, input);
                if (source != null && FileFacts.KindOf(cmdlet.SessionState, source, out string sourceKind) == ItemKind.Special)
                {
                    // reading a pipe waits for a writer, a device may never end: refused before it is opened
                    cmdlet.WriteError(Errors.Create("NotARegularFile", ErrorCategory.InvalidArgument, source, "Image " + ImageIds.Describe(input.Id) + ": '" + source +
                        "' is " + sourceKind + ", not a regular file; it is not read (reading " + sourceKind + " can wait forever or never end). The other images are drawn."));
                    continue;
                }
                int width = 0, height = 0;
                if (source == null)
                {
                    var image = input.Image;
                    if (image == null || !(image.Width >= 1 && image.Height >= 1))
                    {
                        cmdlet.WriteError(Errors.Create("ImageSizeUnknown", ErrorCategory.ObjectNotFound, input.Id,
                            "Image " + ImageIds.Describe(input.Id) + ": " + (imageFolder == null ? "" : "no image file in '" + imageFolder + "', and ") +
                            "no width and height for a blank canvas; give -GroundTruth or -ImageInfo (or -ImageFolder). The other images are drawn."));
                        continue;
                    }
                    width = (int)Math.Min(int.MaxValue, Math.Ceiling(image.Width));
                    height = (int)Math.Min(int.MaxValue, Math.Ceiling(image.Height));
                    blanks.Add(input.Id);
                }
                string target = System.IO.Path.Combine(folder, UniqueName(input, names));
                var targetKind = FileFacts.KindOf(cmdlet.SessionState, target, out string targetWhat);
                if (targetKind == ItemKind.Folder || targetKind == ItemKind.Special)
                {
                    cmdlet.WriteError(Errors.Create("TargetNotARegularFile", ErrorCategory.InvalidArgument, target, "'" + target + "' is " +
                        (targetKind == ItemKind.Folder ? "a folder" : targetWhat) + ", not a regular file; it is never replaced, even with -Force. The other images are drawn."));
                    continue;
                }
                if (File.Exists(target) && !force)
                {
                    cmdlet.WriteError(Errors.Create("FileExists", ErrorCategory.ResourceExists, target,
                        "'" + target + "' already exists; use -Force to replace it. The other images are drawn."));
                    continue;
                }
                if (!cmdlet.ShouldProcess(target, "Draw detections of image " + ImageIds.Describe(input.Id))) continue;
                DetectionImageJob.Compose(input, settings, out var boxes, out var legend);
                jobs.Add(new DetectionImageJob
                {
                    ImageId = input.Id, SourcePath = source, Width = width, Height = height, Target = target, Replace = force,
                    Permissions = File.Exists(target) ? FileFacts.PermissionsOf(cmdlet.SessionState, target) : null,
                    Boxes = boxes, Legend = legend, Style = settings.Style,
                });
            }
            return jobs;
        }

        public static object RunJob(DetectionImageJob job) => job.Run();

        /// <summary>The image file: folder/file_name, then folder/(file name alone), then folder/(string id).</summary>
        private static string FindImageFile(string imageFolder, ImageInput input)
        {
            var candidates = new List<string>();
            string fileName = input.Image?.FileName;
            if (!string.IsNullOrEmpty(fileName))
            {
                candidates.Add(fileName);
                candidates.Add(System.IO.Path.GetFileName(fileName));
            }
            if (input.Id is string name) candidates.Add(name);
            foreach (var candidate in candidates)
            {
                if (candidate.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0) continue;
                string path = System.IO.Path.Combine(imageFolder, candidate);
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>The picture's file name: the image's file name (or id) with .png; the id is added when two would clash.</summary>
        private static string UniqueName(ImageInput input, HashSet<string> taken)
        {
            string fileName = input.Image?.FileName;
            string stem = !string.IsNullOrEmpty(fileName) ? System.IO.Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/').Split('/')[fileName.Replace('\\', '/').Split('/').Length - 1])
                : Convert.ToString(input.Id, CultureInfo.InvariantCulture);
            stem = Clean(stem);
            string name = stem + ".png";
            if (!taken.Add(name))
            {
                name = stem + "_" + Clean(Convert.ToString(input.Id, CultureInfo.InvariantCulture)) + ".png";
                for (int n = 2; !taken.Add(name); n++) name = stem + "_" + n.ToString(CultureInfo.InvariantCulture) + ".png";
            }
            return name;
        }

        private static string Clean(string text)
        {
            if (string.IsNullOrEmpty(text)) return "image";
            var chars = text.ToCharArray();
            var invalid = System.IO.Path.GetInvalidFileNameChars();
            for (int i = 0; i < chars.Length; i++)
                if (Array.IndexOf(invalid, chars[i]) >= 0 || chars[i] == '/' || chars[i] == '\\' || chars[i] == ':') chars[i] = '_';
            return new string(chars);
        }
    }
}
