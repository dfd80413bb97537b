# Help for New-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Creates detections from parameters, or from the properties of any objects such as CSV rows.'

    Description = @'
New-Detection builds BoxFusion.Detection objects for detectors whose output is not a COCO results file: CSV exports, tables from a database, objects made in a script. Pipe in rows of Import-Csv, custom objects or hashtables: New-Detection reads their columns under its own names or the common names of other tools, in any letter case:

- ImageId: ImageId, image_id, Image, FileName, file_name
- CategoryId: CategoryId, category_id, Category, Class, Label
- Score: Score, Confidence, Conf
- the box as X, Y, Width (W), Height (H), or as the corners X1 (XMin, Left), Y1 (YMin, Top), X2 (XMax, Right), Y2 (YMax, Bottom), or a COCO bbox list
- Model, and for detections saved by BoxFusion, MergedCount and SourceModels

Numbers are read with the invariant culture, whatever the session's culture: a dot for decimals and no thousands separator. A CSV cell "0,85" (a European decimal), "1,234.5" or "high" is an error (InvalidNumber) that names the input, the column and the value, and New-Detection goes on with the next input; PowerShell's own conversion would have read "0,85" as 85. A category column holding names ("person") is an error too: give the category ids of the ground truth.

Give the box one way. When all four corners are given they are used; other box columns may be there too (Export-Csv of detections writes Right and Bottom beside X, Y, Width and Height) but must agree with it to within 0.01 pixel, or the input is an error (ConflictingBox). Two columns for one field (Score and Confidence, image_id and filename) must hold the same value, or the input is an error (ConflictingColumns). An input without a complete box is an error (IncompleteBox); so is one without an image id, category or score (MissingImageId, MissingCategoryId, MissingScore), and one with a negative score, a negative width or height, a non-finite number, or a score, coordinate or size beyond 1e9 (InvalidDetection; 1e9 px is far beyond any image, and keeps fusion's sums finite). Errors name the input's position (counting from 0) and, when known, its image; they do not stop the command. Scores above 1 are kept, with one warning that counts them, as Import-Detection does.

An image id that arrives as text made of digits ("42", as every CSV cell is text) becomes the number 42, so it matches the numeric ids of a COCO file; text with a leading zero or anything else ("0042", "42.jpg") stays text.

Without pipeline input, the parameters give one detection. With pipeline input, a parameter you give applies to every input and takes the place of that field's columns: Import-Csv boxes.csv | New-Detection -CategoryId 1 -Model ssd.
'@

    Parameters  = @{
        InputObject = @{
            Description = 'An object whose properties give the detection: a row of Import-Csv or ConvertFrom-Csv, a custom object, a hashtable or a detection. Its columns are read as the description lists; usually it comes from the pipeline.'
            Default     = 'None'
        }
        ImageId    = @{
            Description = 'The image the detection belongs to: a whole number (a COCO image id) or a string such as a file name. Digit-only text without a leading zero becomes a number. With pipeline input, the image of every input.'
            Default     = 'None'
        }
        CategoryId = @{
            Description = 'The category (class) id, as in the ground truth''s categories: a whole number. Text is read with the invariant culture, and "1.5" is an error rather than a rounded 2. With pipeline input, the category of every input.'
            Default     = 'None'
        }
        Score      = @{
            Description = 'The confidence of the detection, normally between 0 and 1. Negative scores are rejected; scores above 1 are kept with a warning. Text is read with the invariant culture: ''0,85'' is an error, not 85.'
            Default     = 'None'
        }
        X          = @{
            Description = 'The left edge of the box, in pixels. Give it with -Y, -Width and -Height.'
            Default     = 'None'
        }
        Y          = @{
            Description = 'The top edge of the box, in pixels. Give it with -X, -Width and -Height.'
            Default     = 'None'
        }
        Width      = @{
            Description = 'The width of the box, in pixels; 0 or more.'
            Default     = 'None'
        }
        Height     = @{
            Description = 'The height of the box, in pixels; 0 or more.'
            Default     = 'None'
        }
        X1         = @{
            Description = 'The left edge of the box (x_min), in pixels. Give it with -Y1, -X2 and -Y2 instead of -X, -Y, -Width, -Height.'
            Default     = 'None'
        }
        Y1         = @{
            Description = 'The top edge of the box (y_min), in pixels.'
            Default     = 'None'
        }
        X2         = @{
            Description = 'The right edge of the box (x_max), in pixels; not less than -X1.'
            Default     = 'None'
        }
        Y2         = @{
            Description = 'The bottom edge of the box (y_max), in pixels; not less than -Y1.'
            Default     = 'None'
        }
        Model      = @{
            Description = 'The name of the model the detections came from. With pipeline input it replaces a Model column; without one, inputs without a Model column are named "model". Merge-Detection treats detections with different model names as different models (for -Weight, -MinVotes and the WBF score), so give each detector''s detections their own name.'
            Default     = 'model'
        }
    }

    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with properties named like the fields or their aliases (ImageId or image_id or filename, CategoryId or label or class, Score or confidence, X/Y/Width/Height or X1/Y1/X2/Y2 or xmin/ymin/xmax/ymax, Model).' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'One detection per valid input.' }
    )

    Notes       = @'
Detections need no conversion when they come back from Export-Clixml / Import-Clixml or from remoting: they become BoxFusion.Detection objects again by themselves. New-Detection is for other shapes of data.

The alias New-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Create one detection'
            Code    = @'
New-Detection -ImageId 42 -CategoryId 1 -Score 0.91 -X 10 -Y 20 -Width 100 -Height 50 -Model manual
'@
            Remarks = @'
ImageId, CategoryId and Score are also positional: New-Detection 42 1 0.91 -X 10 -Y 20 -Width 100 -Height 50 does the same. The result:

    ImageId Category   Score        X        Y    Width   Height Model
    ------- --------   -----        -        -    -----   ------ -----
         42        1  0.9100     10.0     20.0    100.0     50.0 manual
'@
        }
        @{
            Title   = 'Turn a CSV export with corner coordinates into detections and fuse them'
            Code    = @"
@'
image_id,class,confidence,xmin,ymin,xmax,ymax,model
7,1,0.8,0,0,10,10,a
7,1,0.4,2,0,12,10,b
8.jpg,2,0.4,5,5,20,20,a
'@ | ConvertFrom-Csv | New-Detection | Merge-Detection
"@
            Remarks = 'The columns are read under their other tools'' names (image_id, class, confidence, xmin, ...). Image id "7" becomes the number 7 and "8.jpg" stays a string. Merge-Detection fuses the two boxes of image 7 (models a and b) into one; Import-Csv works the same way on a file.'
        }
        @{
            Title   = 'Read a CSV file written with a European locale'
            Code    = @'
Import-Csv detections.csv -Delimiter ';' | ForEach-Object {
    foreach ($column in 'score', 'xmin', 'ymin', 'xmax', 'ymax') { $_.$column = $_.$column -replace ',', '.' }
    $_
} | New-Detection -Model frcnn
'@
            Remarks = 'New-Detection reads numbers with the invariant culture, so a cell "0,85" is reported as an error (InvalidNumber) rather than read as 85. Where the commas are decimal commas, turn them into dots first, as here.'
        }
        @{
            Title   = 'Convert the output of another tool'
            Code    = @'
$predictions | ForEach-Object {
    [pscustomobject]@{ ImageId = $_.file; CategoryId = $_.label + 1; Score = $_.prob; X1 = $_.box[0]; Y1 = $_.box[1]; X2 = $_.box[2]; Y2 = $_.box[3] }
} | New-Detection -Model detr
'@
            Remarks = 'Reshape the objects into properties New-Detection knows, and name the model once with -Model. Here the tool counts labels from 0 and the ground truth from 1.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Import-Detection'
        'Merge-Detection'
    )
}
