using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using BoxFusion.Graphics;

namespace BoxFusion.Commands
{
    /// <summary>Export-PrecisionRecallChart's part that names graphics types: colours, the chart, the atomic write.</summary>
    internal static class PrecisionRecallChartWriter
    {
        public static FileInfo Write(PSCmdlet cmdlet, WriteTarget target, int? permissions, bool force, string title,
            List<(string Title, double? Iou, List<(string Name, double[] Curve, double Ap)> Curves)> panels,
            double[] recallThresholds, string[] colorTexts, int width, int height)
        {
            var colors = new List<uint>();
            if (colorTexts != null)
            {
                foreach (string text in colorTexts)
                {
                    if (!Graphics.Colors.TryParse(text, out uint argb))
                    {
                        cmdlet.ThrowTerminatingError(Errors.InvalidArgument("ColorInvalid", "Color", text,
                            "-Color: '" + text + "' is not a colour. Give #RRGGBB, #AARRGGBB, #RGB or a name (" + string.Join(", ", Graphics.Colors.Names) + ")."));
                    }
                    colors.Add(argb);
                }
            }
            colors.AddRange(Graphics.Colors.Palette);
            var chartPanels = new List<ChartPanel>();
            foreach (var panel in panels)
            {
                var curves = new List<ChartCurve>();
                foreach (var c in panel.Curves) curves.Add(new ChartCurve(c.Name, recallThresholds, c.Curve, c.Ap));
                chartPanels.Add(new ChartPanel(panel.Title, curves));
            }
            byte[] png = PrecisionRecallChart.Render(title, chartPanels, colors, width, height);
            try
            {
                using (var file = new AtomicFile(target.File, force, permissions))
                {
                    file.Stream.Write(png, 0, png.Length);
                    file.Commit();
                }
            }
            catch (TargetExistsException e)
            {
                cmdlet.WriteError(Errors.Create("FileExists", ErrorCategory.ResourceExists, target.Path, e.Message, e));
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                cmdlet.WriteError(Errors.Create("FileWriteFailed", ErrorCategory.WriteError, target.Path, "Cannot write '" + target.Path + "': " + e.Message, e));
                return null;
            }
            return new FileInfo(target.Path);
        }
    }
}
