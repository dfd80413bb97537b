# New-Detection on CSV rows and other tools' column names, and Import-Detection -Format Yolo on a folder.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $folder = New-TestFolder
    $id = 'BoxFusion.Commands.NewDetectionCommand'
}

AfterAll { Remove-Item $folder -Recurse -Force }

Describe 'New-Detection reads numbers with the invariant culture' {
    It 'reports a comma decimal per record, naming the column, the value and the record, and goes on' {
        $file = Join-Path $folder 'eu.csv'
        Set-Content $file "ImageId;CategoryId;Score;X;Y;Width;Height`n1;1;0.85;10.5;20;30;40`n2;1;0,85;10;20;30;40`n3;1;0.5;10,5;20;30;40`n4;1;0.25;10;20;30;40"
        $d = Import-Csv $file -Delimiter ';' | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        $d.ImageId | Should -Be 1, 4
        $d[0].Score | Should -Be 0.85
        $d[0].X | Should -Be 10.5
        $errs.Count | Should -Be 2
        $errs.FullyQualifiedErrorId | Should -Be "InvalidNumber,$id", "InvalidNumber,$id"
        "$($errs[0])" | Should -BeLike "*input 1*Score*'0,85'*"
        "$($errs[1])" | Should -BeLike "*input 2*X*'10,5'*"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'rejects a thousands separator and text, and names the column the value came from' {
        $rows = @(
            [pscustomobject]@{ image_id = 1; category_id = 1; confidence = '0.5'; X = '1,234.5'; Y = 0; Width = 1; Height = 1 }
            [pscustomobject]@{ image_id = 2; category_id = 'person'; confidence = '0.5'; X = 0; Y = 0; Width = 1; Height = 1 }
            [pscustomobject]@{ image_id = 3; category_id = 1; conf = 'high'; X = 0; Y = 0; Width = 1; Height = 1 }
        )
        $d = $rows | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        $d | Should -BeNullOrEmpty
        $errs.FullyQualifiedErrorId | Should -Be "InvalidNumber,$id", "InvalidNumber,$id", "InvalidNumber,$id"
        "$($errs[0])" | Should -BeLike "*input 0*column X*'1,234.5'*"
        "$($errs[1])" | Should -BeLike "*input 1*column category_id*'person'*"
        "$($errs[2])" | Should -BeLike "*input 2*column conf*'high'*"
    }

    It 'accepts invariant numbers written as text, with spaces and exponents, and typed numbers' {
        $d = [pscustomobject]@{ ImageId = '7'; CategoryId = ' 2 '; Score = '8.5e-1'; X = '-1.5'; Y = [decimal]2; Width = [float]3; Height = 4L } | New-Detection
        $d.ImageId | Should -Be 7
        $d.CategoryId | Should -Be 2
        $d.Score | Should -Be 0.85
        $d.X | Should -Be -1.5
        $d.Width | Should -Be 3
    }

    It 'reads parameters given as text the same way' {
        { New-Detection 1 1 '0,85' -X 0 -Y 0 -Width 1 -Height 1 } | Should -Throw -ExpectedMessage "*'0,85' is not a number*invariant culture*"
        { New-Detection 1 '1.5' 0.5 -X 0 -Y 0 -Width 1 -Height 1 } | Should -Throw -ExpectedMessage "*'1.5' is not a whole number*"
        (New-Detection '1' '2' '0.85' -X '1.5' -Y 0 -Width 1 -Height 1).Score | Should -Be 0.85
    }

    It 'is the same in any culture' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("[cultureinfo]::CurrentCulture = 'de-DE'; Import-Module '$ModulePath'; New-Detection 1 1 0.5 -X 1.5 -Y 2 -Width 3 -Height 4; [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = '0.5'; X = '1.5'; Y = 2; Width = 3; Height = 4 } | New-Detection")
        $d = $ps.Invoke()
        $ps.Streams.Error | Should -BeNullOrEmpty
        $d.X | Should -Be 1.5, 1.5
        $ps.Dispose()
    }
}

Describe 'New-Detection checks what it is given' {
    It 'warns once about scores above 1, as Import-Detection does, and keeps them' {
        $rows = 0.5, 1.5, 2 | ForEach-Object { [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = $_; X = 0; Y = 0; Width = 1; Height = 1 } }
        $d = $rows | New-Detection -WarningVariable warnings -WarningAction SilentlyContinue
        $d.Count | Should -Be 3
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*2 inputs have a score above 1 (first: input 1)*kept*'
    }

    It 'rejects corner columns that disagree with X and Width' {
        $row = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 10; Y = 0; Width = 5; Height = 5; X2 = 20 }
        $d = $row | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        $d | Should -BeNullOrEmpty
        $errs.FullyQualifiedErrorId | Should -Be "ConflictingBox,$id"
        "$($errs[0])" | Should -BeLike '*input 0*X2*20*X*10*Width*5*'
    }

    It 'accepts corner columns that agree (as Export-Csv of detections writes Right and Bottom)' {
        $row = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 10; Y = 0; Width = 5; Height = 5; Right = 15; Bottom = 5 }
        ($row | New-Detection).Width | Should -Be 5
    }

    It 'rejects two columns for one field that disagree' {
        $row = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; Confidence = 0.9; X = 0; Y = 0; Width = 5; Height = 5 }
        $row | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.FullyQualifiedErrorId | Should -Be "ConflictingColumns,$id"
        "$($errs[0])" | Should -BeLike '*Score*0.5*Confidence*0.9*'
    }

    It 'still reports an incomplete box and a negative score' {
        $rows = @(
            [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 0; Y = 0; Width = 5 }
            [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = -0.5; X = 0; Y = 0; Width = 5; Height = 5 }
        )
        $rows | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.FullyQualifiedErrorId | Should -Be "IncompleteBox,$id", "InvalidDetection,$id"
    }
}

Describe 'New-Detection takes the column names of other tools' {
    It 'reads Pascal VOC / pandas columns: <Columns>' -ForEach @(
        @{ Columns = 'filename,label,confidence,xmin,ymin,xmax,ymax'; Row = '7.jpg,3,0.8,10,20,40,60' }
        @{ Columns = 'image,class,conf,xmin,ymin,xmax,ymax'; Row = '7.jpg,3,0.8,10,20,40,60' }
        @{ Columns = 'image_id,category,score,x1,y1,x2,y2'; Row = '7.jpg,3,0.8,10,20,40,60' }
        @{ Columns = 'Image,Category,Confidence,Left,Top,Right,Bottom'; Row = '7.jpg,3,0.8,10,20,40,60' }
    ) {
        $d = "$Columns`n$Row" | ConvertFrom-Csv | New-Detection
        $d.ImageId | Should -Be '7.jpg'
        $d.CategoryId | Should -Be 3
        $d.Score | Should -Be 0.8
        $d.X, $d.Y, $d.Width, $d.Height | Should -Be 10, 20, 30, 40
    }

    It 'fills a field for every row from a parameter, and -Model names the model' {
        $d = "image,confidence,xmin,ymin,xmax,ymax`n1,0.5,0,0,2,2`n2,0.6,0,0,2,2" | ConvertFrom-Csv | New-Detection -CategoryId 4 -Model voc
        $d.CategoryId | Should -Be 4, 4
        $d.Model | Should -Be 'voc', 'voc'
    }

    It 'takes the model from a Model column, and "model" without one' {
        ("ImageId,CategoryId,Score,X,Y,Width,Height,Model`n1,1,0.5,0,0,1,1,yolox" | ConvertFrom-Csv | New-Detection).Model | Should -Be 'yolox'
        ("ImageId,CategoryId,Score,X,Y,Width,Height`n1,1,0.5,0,0,1,1" | ConvertFrom-Csv | New-Detection).Model | Should -Be 'model'
    }

    It 'binds CSV rows piped straight into Merge-Detection the same strict way' {
        $rows = "ImageId;CategoryId;Score;X;Y;Width;Height`n1;1;0,85;10;20;30;40`n2;1;0.85;10;20;30;40" | ConvertFrom-Csv -Delimiter ';'
        $fused = $rows | Merge-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        $fused.ImageId | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].TargetObject.Score | Should -Be '0,85'
    }
}

Describe 'Import-Detection -Format Yolo on a folder' {
    BeforeAll {
        $gtFile = Join-Path $DataRoot 'case-a/gt.json'
        $gt = Get-Content $gtFile -Raw | ConvertFrom-Json
        $run = Join-Path $folder 'runs/detect/exp'
        $labels = Join-Path $run 'labels'
        $null = New-Item -ItemType Directory $labels
        foreach ($image in $gt.images[0..2]) {
            $stem = [IO.Path]::GetFileNameWithoutExtension($image.file_name)
            Set-Content (Join-Path $labels "$stem.txt") "0 0.5 0.5 0.2 0.1 0.9"
        }
        Set-Content (Join-Path $labels 'notes.md') 'not a prediction'
        $empty = Join-Path $folder 'empty'
        $null = New-Item -ItemType Directory $empty
    }

    It 'reads every *.txt of the folder' {
        $d = Import-Detection $labels -Format Yolo -ImageInfo $gtFile
        $d.Count | Should -Be 3
        $d.ImageId | Sort-Object | Should -Be ($gt.images[0..2].id | Sort-Object)
        $d.Model | Select-Object -Unique | Should -Be 'exp'
    }

    It 'reads the labels folder of a YOLO run folder' {
        (Import-Detection $run -Format Yolo -ImageInfo $gtFile).Count | Should -Be 3
        (Import-Detection -LiteralPath $run -Format Yolo -ImageInfo $gtFile).Count | Should -Be 3
    }

    It 'says so when a folder has no prediction files' {
        Import-Detection $empty -Format Yolo -ImageInfo $gtFile -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.FullyQualifiedErrorId | Should -Be 'NoPredictionFiles,BoxFusion.Commands.ImportDetectionCommand'
        "$($errs[0])" | Should -BeLike "*$empty*.txt*"
    }

    It 'refuses several -Model names: all files of one call are one model' {
        { Import-Detection $labels -Format Yolo -ImageInfo $gtFile -Model a, b -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelCountMismatch,BoxFusion.Commands.ImportDetectionCommand' -ExpectedMessage '*one model*2 model names*'
        (Import-Detection $labels -Format Yolo -ImageInfo $gtFile -Model ssd).Model | Select-Object -Unique | Should -Be 'ssd'
    }
}
